package dev.covet.data;

import static dev.covet.data.Where.and;
import static dev.covet.data.Where.eq;
import static dev.covet.data.Where.ge;
import static dev.covet.data.Where.gt;
import static dev.covet.data.Where.in;
import static dev.covet.data.Where.isNotNull;
import static dev.covet.data.Where.isNull;
import static dev.covet.data.Where.like;
import static dev.covet.data.Where.lt;
import static dev.covet.data.Where.ne;
import static dev.covet.data.Where.not;
import static dev.covet.data.Where.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.covet.data.Library.Author;
import dev.covet.data.Library.Book;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QueryBuilderTest {

    /** Books "book 1".."book 20" with pages 10..200 and price = pages / 10; odd ones have a subtitle. */
    private static Repository<Book, Long> books(TestDatabase t) {
        Library.createSchema(t.db);
        Author a = t.db.<Author, Long>repository(Author.class).insert(new Author("A"));
        Repository<Book, Long> books = t.db.repository(Book.class);
        books.insertAll(IntStream.rangeClosed(1, 20).mapToObj(i -> new Book(0, "book " + i, i * 10,
                BigDecimal.valueOf(i), i % 2 == 1 ? "odd" : null, Ref.to(a.id()), Many.notLoaded())).toList());
        return books;
    }

    private static List<String> titles(List<Book> books) {
        return books.stream().map(Book::title).toList();
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void comparisonsCombineWithAndOrNot(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Repository<Book, Long> books = books(t);
            assertThat(titles(books.query().where(or(lt(Book::pages, 20), and(gt(Book::pages, 180), ne(Book::pages, 200))))
                    .orderBy(Book::pages).list())).containsExactly("book 1", "book 19");
            assertThat(books.query().where(not(ge(Book::pages, 30))).count()).isEqualTo(2);
            assertThat(books.query().where(eq(Book::title, "book 7")).first()).hasValueSatisfying(b -> assertThat(b.pages()).isEqualTo(70));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void inLikeAndNullTestsWork(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Repository<Book, Long> books = books(t);
            assertThat(books.query().where(in(Book::pages, List.of(10, 30, 999))).count()).isEqualTo(2);
            assertThat(books.query().where(in(Book::title, List.of("book 2", "book \"3\""))).count()).isEqualTo(1);
            assertThat(books.query().where(in(Book::pages, List.of())).count()).isZero();
            assertThat(books.query().where(like(Book::title, "book 1%")).count()).isEqualTo(11);
            assertThat(books.query().where(isNull(Book::subtitle)).count()).isEqualTo(10);
            assertThat(books.query().where(isNotNull(Book::subtitle)).count()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void orderLimitOffsetAndPagesSliceTheRows(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Repository<Book, Long> books = books(t);
            assertThat(titles(books.query().orderByDesc(Book::pages).limit(3).list()))
                    .containsExactly("book 20", "book 19", "book 18");
            assertThat(titles(books.query().orderBy(Book::pages).offset(18).list())).containsExactly("book 19", "book 20");
            Page<Book> page = books.query().where(gt(Book::pages, 50)).orderBy(Book::pages).page(2, 4);
            assertThat(titles(page.items())).containsExactly("book 10", "book 11", "book 12", "book 13");
            assertThat(page.totalItems()).isEqualTo(15);
            assertThat(page.totalPages()).isEqualTo(4);
            assertThat(page.hasNext()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aggregatesAndExistsAnswerInOneStatementEach(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Repository<Book, Long> books = books(t);
            QueryStats stats = QueryStats.measure(() -> {
                assertThat(books.query().count()).isEqualTo(20);
                assertThat(books.query().where(gt(Book::pages, 1000)).exists()).isFalse();
                assertThat(books.query().exists()).isTrue();
                assertThat(books.query().min(Book::pages)).contains(10);
                assertThat(books.query().max(Book::pages)).contains(200);
                assertThat(books.query().sum(Book::pages)).hasValueSatisfying(s -> assertThat(s).isEqualByComparingTo("2100"));
                assertThat(books.query().avg(Book::pages).orElseThrow()).isEqualTo(105.0);
                assertThat(books.query().where(gt(Book::pages, 1000)).max(Book::pages)).isEmpty();
            });
            assertThat(stats.statementCount()).isEqualTo(8);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aLambdaInsteadOfAnAccessorReferenceIsRefused(Vendor vendor) {
        try (TestDatabase t = TestDatabase.create(vendor)) {
            Repository<Book, Long> books = books(t);
            assertThatThrownBy(() -> books.query().where(eq(b -> b.title(), "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("method reference");
        }
    }
}
