using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>The named errors of CA connectors and their administration, so tests match the error, not its text.</summary>
public static class CaErrors
{
    /// <summary>An actor without <c>ManageCaConnectors</c> tried to <paramref name="what"/> ("create CAs").</summary>
    public static PortalError NotAllowed(string what) => PortalError.Forbidden($"Only admins may {what}.");

    /// <summary>An actor without <c>ViewCaConnectors</c> asked to see CA connectors.</summary>
    public static readonly PortalError NotAllowedToView = PortalError.Forbidden("Only admins and helpdesk staff may view CA connectors.");

    /// <summary>No connector has this name.</summary>
    public static PortalError NoSuchCa(string name) => PortalError.NotFound($"There is no CA connector named '{name}'.");
}
