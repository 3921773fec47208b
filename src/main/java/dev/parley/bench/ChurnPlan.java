package dev.parley.bench;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How the {@code churn} scenario ends each churned connection: most close cleanly (a close
 * frame, then waiting for the server's close frame and its TCP close), and a fixed fraction is
 * dropped abruptly, with no close frame: a TCP FIN (as when a client process dies), a TCP RST
 * (SO_LINGER 0, as when a connection is torn down), or those two in turn.
 *
 * <p>Connection {@code k} (from 0) is dropped when {@code floor((k + 1) * f) > floor(k * f)}:
 * exactly {@code floor(n * f)} of the first {@code n}, spread evenly, the same in every run.
 */
final class ChurnPlan {
  /** How one churned connection ends. */
  enum Ending { CLEAN, FIN, RST }

  /** Which abrupt ending the dropped connections get. */
  enum DropKind {
    FIN, RST, BOTH;

    /** picocli: {@code fin}, {@code rst} or {@code both}, in any case. */
    static final class Converter implements ITypeConverter<DropKind> {
      @Override
      public DropKind convert(String value) {
        try {
          return DropKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new TypeConversionException("expected fin, rst or both, got '" + value + "'");
        }
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final double dropFraction;
  private final DropKind kind;

  ChurnPlan(double dropFraction, DropKind kind) {
    if (!(dropFraction >= 0 && dropFraction <= 1)) {
      throw new IllegalArgumentException("drop fraction must be from 0 to 1: " + dropFraction);
    }
    this.dropFraction = dropFraction;
    this.kind = kind;
  }

  /** How connection {@code k} (from 0) ends. */
  Ending ending(long k) {
    long before = (long) Math.floor(k * dropFraction);
    long after = (long) Math.floor((k + 1) * dropFraction);
    if (after <= before) {
      return Ending.CLEAN;
    }
    return switch (kind) {
      case FIN -> Ending.FIN;
      case RST -> Ending.RST;
      case BOTH -> before % 2 == 0 ? Ending.FIN : Ending.RST; // the dropped ones alternate
    };
  }
}
