package dev.parley.chat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the hub: the fuzzer's bytes become a scenario of
 * connections, commands (rooms, names, texts and history arguments included), disconnections,
 * clock moves and store faults, run by the same {@link FuzzChatHubTest.Driver} and checked the
 * same way: no exception, exactly one reply per ref, a code the check order allows, and every
 * socket's messages once, in order, without a gap.
 */
class FuzzChatHubJazzerTest {
  private static final List<String> ROOMS = List.of("general", "calm", "a");
  private static final List<String> NAMES = List.of("alice", "Alice", "bob", "user1");

  @FuzzTest(maxDuration = "10m")
  void hubScenarios(FuzzedDataProvider data) {
    FuzzChatHubTest.Driver driver = new FuzzChatHubTest.Driver(data.consumeBoolean() ? 2000 : 0);
    int steps = 0;
    while (data.remainingBytes() > 0 && steps++ < 200) {
      driver.run(step(data));
    }
    driver.finish();
  }

  private static FuzzChatHubTest.Step step(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 99);
    if (kind < 8) {
      return new FuzzChatHubTest.Step.Connect(data.consumeInt(0, 3) == 0, data.consumeInt(-1, 2));
    } else if (kind < 10) {
      return new FuzzChatHubTest.Step.Disconnect(data.consumeInt(0, 7));
    } else if (kind < 18) {
      return new FuzzChatHubTest.Step.Advance(data.consumeLong(0, 12_000));
    } else if (kind < 21) {
      return new FuzzChatHubTest.Step.Fault(data.consumeInt(0, FuzzChatHubTest.FAULTS - 1));
    }
    return new FuzzChatHubTest.Step.Send(data.consumeInt(0, 7), command(data));
  }

  private static Command command(FuzzedDataProvider data) {
    String ref = data.consumeInt(0, 9) == 0 ? null : "r";
    int type = data.consumeInt(0, 6);
    return switch (type) {
      case 0 -> new Command.Join(ref, room(data), number(data));
      case 1 -> new Command.Leave(ref, room(data));
      case 2 -> new Command.Send(ref, room(data), data.consumeString(data.consumeBoolean() ? 50 : 4100),
          data.consumeBoolean() ? null : "c" + data.consumeInt(1, 3));
      case 3 -> new Command.Typing(ref, room(data));
      case 4 -> new Command.Nick(ref, data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(40));
      case 5 -> {
        Long before = number(data);
        Long limit = number(data);
        yield new Command.History(ref, room(data), before,
            limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)));
      }
      default -> new Command.Who(ref, room(data));
    };
  }

  private static String room(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.pickValue(ROOMS) : data.consumeString(40);
  }

  private static Long number(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> null;
      case 1 -> data.consumeLong(-2, 120);
      default -> data.consumeLong();
    };
  }
}
