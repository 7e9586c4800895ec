package dev.covet.data;

/** Work done inside a transaction, returning a result. Any exception rolls the transaction back. */
@FunctionalInterface
public interface TransactionWork<R> {
    R run(Transaction tx) throws Exception;
}
