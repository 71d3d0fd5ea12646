using System.Diagnostics.CodeAnalysis;

namespace CertTokenPortal.Core.Common;

/// <summary>
/// The outcome of an operation that can fail in an expected way: either a value or a <see cref="PortalError"/>.
/// Expected failures (bad CSR, not allowed, quota reached) travel as values; exceptions are kept for bugs and outages.
/// </summary>
public readonly struct Result<T> : IOutcome
{
    private readonly T? _value;

    private Result(T? value, PortalError? error)
    {
        _value = value;
        Error = error;
    }

    public PortalError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value of a successful result; reading it from a failure is a bug.</summary>
    public T Value => Error is null
        ? _value!
        : throw new InvalidOperationException($"Result is a failure: {Error}");

    public static Result<T> Success(T value) => new(value, null);
    public static Result<T> Failure(PortalError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Success(value);
    public static implicit operator Result<T>(PortalError error) => Failure(error);

    public bool TryGetValue([MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out PortalError? error)
    {
        value = _value;
        error = Error;
        return Error is null;
    }

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? map(Value) : Result<TOut>.Failure(Error);
}

/// <summary>What every result tells, whatever its value: whether it failed, and why.</summary>
public interface IOutcome
{
    PortalError? Error { get; }
}

/// <summary>The outcome of an operation that returns nothing on success.</summary>
public readonly struct Result : IOutcome
{
    private Result(PortalError? error) => Error = error;

    public PortalError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static Result Success() => new(null);
    public static Result Failure(PortalError error) => new(error);

    public static implicit operator Result(PortalError error) => Failure(error);
}
