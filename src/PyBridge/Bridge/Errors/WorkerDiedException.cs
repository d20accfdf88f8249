namespace PyFlow.PyBridge.Errors;

/// <summary>A Python worker process ended while the job still needed it.</summary>
public sealed class WorkerDiedException : Exception
{
    public WorkerDiedException(string task, int pid, int? exitCode, string stderrTail)
        : base($"the Python worker of task '{task}' (pid {pid}) {Describe(exitCode)}" +
               (stderrTail.Length > 0 ? $"; its last output:\n{stderrTail}" : "; it wrote nothing to stderr"))
    {
        Task = task;
        Pid = pid;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public string Task { get; }
    public int Pid { get; }
    public int? ExitCode { get; }
    public string StderrTail { get; }

    private static string Describe(int? exitCode) => exitCode switch
    {
        null => "stopped answering and did not exit",
        > 128 and < 160 => $"was killed by signal {exitCode - 128}{SignalName(exitCode.Value - 128)} (exit status {exitCode})",
        _ => $"exited with status {exitCode}",
    };

    private static string SignalName(int signal) => signal switch
    {
        9 => " (SIGKILL)",
        15 => " (SIGTERM)",
        11 => " (SIGSEGV)",
        6 => " (SIGABRT)",
        2 => " (SIGINT)",
        _ => "",
    };
}
