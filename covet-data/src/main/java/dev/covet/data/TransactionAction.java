package dev.covet.data;

/** Work done inside a transaction with no result. Any exception rolls the transaction back. */
@FunctionalInterface
public interface TransactionAction {
    void run(Transaction tx) throws Exception;
}
