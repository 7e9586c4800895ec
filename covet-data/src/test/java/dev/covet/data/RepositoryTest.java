package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.data.Library.Author;
import dev.covet.data.Library.Book;
import dev.covet.data.Library.Tag;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RepositoryTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void insertReturnsTheGeneratedIdAndGetFindsTheRow(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Library.createSchema(t.db);
            Repository<Author, Long> authors = t.db.repository(Author.class);
            Author a = authors.insert(new Author("Le Guin"));
            Author b = authors.insert(new Author("Herbert"));
            assertThat(a.id()).isPositive();
            assertThat(b.id()).isGreaterThan(a.id());
            assertThat(authors.get(a.id())).hasValueSatisfying(found -> assertThat(found.name()).isEqualTo("Le Guin"));
            assertThat(authors.get(999_999L)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void updateWritesEveryColumnAndAMissingRowIsA404(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Library.createSchema(t.db);
            Repository<Author, Long> authors = t.db.repository(Author.class);
            Repository<Book, Long> books = t.db.repository(Book.class);
            Author a = authors.insert(new Author("Le Guin"));
            Book book = books.insert(new Book("Earthsea", 200, new BigDecimal("9.99"), a.id()));
            books.update(new Book(book.id(), "A Wizard of Earthsea", 205, book.price(), "1968", book.author(), Many.notLoaded()));
            Book back = books.get(book.id()).orElseThrow();
            assertThat(back.title()).isEqualTo("A Wizard of Earthsea");
            assertThat(back.subtitle()).isEqualTo("1968");
            assertThat(back.author().id()).isEqualTo(a.id());
            assertThatThrownBy(() -> authors.update(new Author(424242, "nobody", Many.notLoaded())))
                    .isInstanceOfSatisfying(EntityNotFoundException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void deleteSaysWhetherARowWentAway(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Library.createSchema(t.db);
            Repository<Tag, String> tags = t.db.repository(Tag.class);
            tags.insert(new Tag("sf", "Science fiction"));
            assertThat(tags.delete("sf")).isTrue();
            assertThat(tags.delete("sf")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void upsertInsertsThenUpdatesTheSameId(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Library.createSchema(t.db);
            Repository<Tag, String> tags = t.db.repository(Tag.class);
            tags.upsert(new Tag("sf", "Sci-fi"));
            tags.upsert(new Tag("sf", "Science fiction"));
            assertThat(tags.findAll()).containsExactly(new Tag("sf", "Science fiction"));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void bulkInsertAndBulkUpdateHandleThousandsOfRows(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Library.createSchema(t.db);
            Repository<Author, Long> authors = t.db.repository(Author.class);
            List<Author> saved = authors.insertAll(IntStream.range(0, 2_500).mapToObj(i -> new Author("author " + i)).toList());
            assertThat(saved).hasSize(2_500).allSatisfy(a -> assertThat(a.id()).isPositive());
            assertThat(saved.stream().map(Author::id).distinct()).hasSize(2_500);
            assertThat(saved.get(1_234).name()).isEqualTo("author 1234");
            int changed = authors.updateAll(saved.stream().map(a -> new Author(a.id(), a.name().toUpperCase(), Many.notLoaded())).toList());
            assertThat(changed).isEqualTo(2_500);
            assertThat(authors.query().where(Where.like(Author::name, "AUTHOR %")).count()).isEqualTo(2_500);
        }
    }

    /** On MySQL ids come from JDBC generated keys, not RETURNING: two writers at once must not get each other's. */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void concurrentBulkInsertsEachGetBackTheirOwnRowsInOrder(Vendor vendor) throws Exception {
        try (TestDatabase t = TestDatabase.create(vendor, b -> b.poolSize(4))) {
            Library.createSchema(t.db);
            Repository<Author, Long> authors = t.db.repository(Author.class);
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<List<Author>>> writers = IntStream.range(0, 3).mapToObj(w -> pool.submit(() ->
                        authors.insertAll(IntStream.range(0, 300).mapToObj(i -> new Author("w" + w + " " + i)).toList()))).toList();
                for (int w = 0; w < writers.size(); w++) {
                    List<Author> saved = writers.get(w).get();
                    for (int i = 0; i < saved.size(); i++) {
                        assertThat(saved.get(i).name()).isEqualTo("w" + w + " " + i);
                        assertThat(authors.get(saved.get(i).id()).orElseThrow().name()).isEqualTo("w" + w + " " + i);
                    }
                }
            }
            assertThat(authors.count()).isEqualTo(900);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aUniqueColumnRefusesADuplicate(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Library.createSchema(t.db);
            Repository<Author, Long> authors = t.db.repository(Author.class);
            authors.insert(new Author("Le Guin"));
            assertThatThrownBy(() -> authors.insert(new Author("Le Guin"))).isInstanceOf(DataAccessException.class);
        }
    }

    record Unsafe(@Id long id, @Column("name; DROP TABLE x") String name) { }

    @Test
    void identifiersFromCodeMustBePlainNames() {
        try (TestDatabase t = TestDatabase.create(Vendor.SQLITE)) {
            assertThatThrownBy(() -> t.db.repository(Unsafe.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a plain SQL identifier");
        }
    }
}
