package dev.covet.data;

import java.math.BigDecimal;

/** The entities the ORM tests use: authors write books, books carry tags. */
final class Library {
    private Library() { }

    @Table("author")
    record Author(@Id @GeneratedValue long id, @Unique @Column(nullable = false) String name,
                  @OneToMany(mappedBy = "author") Many<Book> books) {
        Author(String name) {
            this(0, name, Many.notLoaded());
        }
    }

    record Book(@Id @GeneratedValue long id, @Index String title, int pages, BigDecimal price, String subtitle,
                @ManyToOne Ref<Author> author,
                @ManyToMany(joinTable = "book_tag", joinColumn = "book_id", inverseColumn = "tag_id") Many<Tag> tags) {
        Book(String title, int pages, BigDecimal price, long authorId) {
            this(0, title, pages, price, null, Ref.to(authorId), Many.notLoaded());
        }
    }

    record Tag(@Id String code, String label) { }

    static void createSchema(Database db) {
        db.repository(Author.class).createTable();
        db.repository(Book.class).createTable();
        db.repository(Tag.class).createTable();
        db.update("CREATE TABLE book_tag (book_id BIGINT NOT NULL, tag_id VARCHAR(255) NOT NULL, PRIMARY KEY (book_id, tag_id))");
    }
}
