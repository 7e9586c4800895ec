package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.data.Library.Author;
import dev.covet.data.Library.Book;
import dev.covet.data.Library.Tag;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each prefetched relation is one statement, whatever the number of rows: checked at 10,000 rows. */
class PrefetchTest {
    private static final int BOOKS = 10_000;
    private static final int AUTHORS = 10_000;

    /** 10,000 authors with one book each (so a per-row lazy load would be 10,000 statements); 3 tags. */
    private static void fill(Database db) {
        Library.createSchema(db);
        List<Author> authors = db.<Author, Long>repository(Author.class)
                .insertAll(IntStream.range(0, AUTHORS).mapToObj(i -> new Author("author " + i)).toList());
        List<Book> books = db.<Book, Long>repository(Book.class).insertAll(IntStream.range(0, BOOKS)
                .mapToObj(i -> new Book("book " + i, i, BigDecimal.ONE, authors.get(i % AUTHORS).id())).toList());
        db.<Tag, String>repository(Tag.class).insertAll(List.of(new Tag("a", "A"), new Tag("b", "B"), new Tag("c", "C")));
        List<List<?>> links = new ArrayList<>();
        for (Book b : books) {
            links.add(List.of(b.id(), "a"));
            if (b.pages() % 2 == 0) {
                links.add(List.of(b.id(), "b"));
            }
        }
        db.batch("INSERT INTO book_tag (book_id, tag_id) VALUES (?, ?)", links);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void tenThousandBooksWithAuthorAndTagsTakeThreeStatements(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            fill(t.db);
            Repository<Book, Long> books = t.db.repository(Book.class);
            List<List<Book>> result = new ArrayList<>();
            QueryStats stats = QueryStats.measure(() ->
                    result.add(books.query().prefetch(Book::author).prefetch(Book::tags).list()));
            List<Book> loaded = result.getFirst();
            assertThat(loaded).hasSize(BOOKS);
            assertThat(stats.statementCount()).as(stats.countsByStatement().toString()).isEqualTo(3);
            for (Book b : loaded) {
                assertThat(b.author().get().name()).isEqualTo("author " + (b.pages() % AUTHORS));
                assertThat(b.tags().get()).extracting(Tag::code)
                        .containsExactlyInAnyOrderElementsOf(b.pages() % 2 == 0 ? List.of("a", "b") : List.of("a"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void tenThousandAuthorsWithTheirBooksTakeTwoStatements(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            fill(t.db);
            Repository<Author, Long> authors = t.db.repository(Author.class);
            List<List<Author>> result = new ArrayList<>();
            QueryStats stats = QueryStats.measure(() -> result.add(authors.query().prefetch(Author::books).list()));
            assertThat(result.getFirst()).hasSize(AUTHORS);
            assertThat(stats.statementCount()).isEqualTo(2);
            assertThat(result.getFirst().stream().mapToInt(a -> a.books().get().size()).sum()).isEqualTo(BOOKS);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aRelationThatWasNotPrefetchedThrowsInsteadOfLoadingLazily(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Library.createSchema(t.db);
            Author a = t.db.<Author, Long>repository(Author.class).insert(new Author("A"));
            t.db.<Book, Long>repository(Book.class).insert(new Book("B", 1, BigDecimal.ONE, a.id()));
            Book book = t.db.<Book, Long>repository(Book.class).findAll().getFirst();
            assertThat(book.author().id()).isEqualTo(a.id());
            assertThatThrownBy(() -> book.author().get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("prefetch");
            assertThatThrownBy(() -> book.tags().get()).isInstanceOf(IllegalStateException.class);
        }
    }
}
