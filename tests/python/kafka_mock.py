"""A mock Kafka cluster for tests: tools/KafkaMock (built by ./dev build) runs librdkafka's mock brokers on
127.0.0.1 and puts records in and reads them out, so the tests need no Kafka client library or broker."""
import pathlib
import select
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "KafkaMock" / "bin" / "Release" / "net10.0" / "KafkaMock"
MARKER_TOPIC = "pyflow-sink-markers"  # the exactly-once sink's; the mock does not answer CreateTopics


def _run(args: list, stdin: str = "", seconds: float = 60.0) -> str:
    done = subprocess.run([str(TOOL), *args], input=stdin, capture_output=True, text=True, timeout=seconds)
    if done.returncode != 0:
        raise RuntimeError(f"KafkaMock {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


class MockKafka:
    """The mock cluster of one test, with ``topics`` ({name: partitions}); closing it stops the brokers."""

    def __init__(self, topics: dict, brokers: int = 1, seconds: float = 60.0):
        if not TOOL.exists():
            raise FileNotFoundError(f"{TOOL} is missing: run ./dev build")
        args = ["serve", "--brokers", str(brokers)]
        for name, partitions in {**topics, MARKER_TOPIC: 1}.items():
            args += ["--topic", f"{name}:{partitions}"]
        # stdin stays open while the cluster should run: closing it (or this process dying) stops the tool.
        self._proc = subprocess.Popen([str(TOOL), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self._proc.stdout], [], [], seconds)
        line = self._proc.stdout.readline().strip() if ready else ""
        if not line:
            self.close()
            raise RuntimeError(f"the mock Kafka cluster printed no bootstrap servers within {seconds} s")
        self.bootstrap_servers = line

    def produce(self, topic: str, values: list, partition: "int | None" = None) -> None:
        """Writes ``values`` (str, one record each, no line breaks) to ``topic``, in order."""
        args = ["produce", "--bootstrap", self.bootstrap_servers, "--topic", topic]
        if partition is not None:
            args += ["--partition", str(partition)]
        _run(args, "".join(v + "\n" for v in values))

    def consume(self, topic: str, read_committed: bool = False) -> list:
        """Every record value now in ``topic``, partition by partition (uncommitted ones too unless read_committed)."""
        args = ["consume", "--bootstrap", self.bootstrap_servers, "--topic", topic]
        if read_committed:
            args.append("--read-committed")
        return _run(args).splitlines()

    def close(self) -> None:
        """Stops the cluster (bounded wait, then SIGKILL)."""
        if self._proc.stdin and not self._proc.stdin.closed:
            self._proc.stdin.close()
        try:
            self._proc.wait(15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(15)
