package dev.covet.data;

/**
 * An open transaction, handed to {@link TransactionWork}. It runs every statement on the transaction's
 * connection; so does the {@link Database} itself when called on the same thread inside the work, so
 * repositories and helpers need not pass the transaction around. Calling {@code transaction(...)} again
 * inside opens a savepoint: its failure rolls back to the savepoint only.
 */
public interface Transaction extends Sql { }
