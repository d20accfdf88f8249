namespace PyFlow.Engine.Sources;

/// <summary>What a text file source does with bytes that are not valid UTF-8.</summary>
public enum InvalidUtf8Policy
{
    /// <summary>The job fails naming the file, the line and the byte offset (the default: text is never changed silently).</summary>
    Fail,

    /// <summary>Each invalid sequence becomes U+FFFD, as <see cref="System.Text.Encoding.UTF8"/> decodes it.</summary>
    Replace,
}
