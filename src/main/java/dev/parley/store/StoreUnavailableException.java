package dev.parley.store;

/**
 * The store could not do what a stage asked: the database is unreachable, full, locked or
 * broken. The message names the store, so that {@code /ready} and logs can say which part
 * failed. For a write, the outcome is unknown; retrying an append with the same cid is safe.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
