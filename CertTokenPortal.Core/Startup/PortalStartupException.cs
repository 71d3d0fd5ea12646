namespace CertTokenPortal.Core.Startup;

/// <summary>
/// A problem with the configuration or the environment that stops the portal from starting. Its message is written
/// for the operator and shown on its own, without a stack trace.
/// </summary>
public sealed class PortalStartupException(string message, Exception? inner = null) : Exception(message, inner);
