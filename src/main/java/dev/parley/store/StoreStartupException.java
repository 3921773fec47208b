package dev.parley.store;

/**
 * A store refused to start. The message is written for the person starting Parley: it says
 * what is wrong and what to do (restore a backup, upgrade Parley, point --data or --db
 * elsewhere), so the caller prints it as it is and exits.
 */
public final class StoreStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
