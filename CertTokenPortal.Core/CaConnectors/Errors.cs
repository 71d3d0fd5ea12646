using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>The named errors of CA connectors and their administration, so tests match the error, not its text.</summary>
public static class CaErrors
{
    /// <summary>An actor without <c>ManageCaConnectors</c> tried to <paramref name="what"/> ("create CAs").</summary>
    public static PortalError NotAllowed(string what) => PortalError.Forbidden($"Only admins may {what}.");

    /// <summary>An actor without <c>ViewCaConnectors</c> asked to see CA connectors.</summary>
    public static readonly PortalError NotAllowedToView = PortalError.Forbidden("Only admins and helpdesk staff may view CA connectors.");

    /// <summary>privacyIDEA refuses to change a connector's type: another type needs other settings.</summary>
    public static PortalError TypeChange(string name, string type, string requested) => PortalError.Validation(
        $"CA connector '{name}' is of type '{type}'; its type cannot be changed to '{requested}'. Delete it and create a new one, or leave type out.");

    /// <summary>An update named a setting the connector's type does not have.</summary>
    public static PortalError NotASetting(CaConnectorRecord record, string setting) => PortalError.Validation(
        $"{setting} is not a setting of CA connector '{record.Name}' (type {record.Type}).");

    /// <summary>No connector has this name.</summary>
    public static PortalError NoSuchCa(string name) => PortalError.NotFound($"There is no CA connector named '{name}'.");
}
