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

    /// <summary>A subordinate CA was asked of a parent that does not exist.</summary>
    public static PortalError NoSuchParent(string name) =>
        PortalError.Validation($"parent: there is no CA connector named '{name}'.").About("parent");

    /// <summary>A subordinate CA can only be signed by a CA whose key this portal holds.</summary>
    public static PortalError ParentNotLocal(string name, string type) =>
        PortalError.Validation($"parent: '{name}' is a CA of type '{type}'; only a local CA can sign a subordinate CA.").About("parent");

    /// <summary>The parent's own certificate forbids CAs below it (path length 0, or it is not valid now).</summary>
    public static PortalError ParentMayNotSign(string name, string why) =>
        PortalError.Validation($"parent: '{name}' cannot sign a subordinate CA: {why}.").About("parent");

    /// <summary>A subordinate CA may not outlive the CA that signs it.</summary>
    public static PortalError OutlivesParent(string name, DateTime parentNotAfter, int maxDays) =>
        PortalError.Validation($"validity_days: the parent '{name}' is valid until {parentNotAfter:yyyy-MM-dd}; a CA below it can be valid at most {maxDays} days.")
            .About("validity_days");
}
