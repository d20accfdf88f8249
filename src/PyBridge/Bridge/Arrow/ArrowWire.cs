using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Arrow;

/// <summary>
/// The wire form of a batch of Python records: one Arrow IPC stream with column <c>v</c> of
/// <see cref="Type"/>, and <c>ts</c> and <c>k</c> when <see cref="HasTimestamps"/> and
/// <see cref="HasKeys"/> say so (the RESULT layout of the worker protocol). Sinks and Python
/// operators forward it whole instead of decoding and re-encoding every record.
/// </summary>
public sealed record ArrowWire(byte[] Payload, PyType Type, bool HasTimestamps, bool HasKeys);
