namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A CA that knows its own templates, as loaded with it, so that callers need not query them again.</summary>
public interface ICaTemplateCatalog
{
    /// <summary>
    /// Whether the template <paramref name="templateName"/> (compared as the CA finds templates when it issues: ignoring
    /// case) is for staff only; false when the CA has no such template.
    /// </summary>
    bool IsStaffOnly(string templateName);
}
