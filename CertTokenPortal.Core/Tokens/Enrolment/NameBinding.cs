using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>The names a certificate will carry, decided by <see cref="NameBinding"/>.</summary>
public sealed record BoundNames(X500DistinguishedName Subject, IReadOnlyList<SubjectAltName> SubjectAltNames);

/// <summary>
/// Binds the names of a certificate to its owner and its template: with <c>owner</c> the subject is built from the
/// account (CN = user name, email from the account) and a request may only repeat those names; with <c>csr</c> the
/// request's names are taken when each passes the template's rules. Every refusal names the name and the rule. Pure:
/// enrolment, approval and renewal call it alike and get the same answer.
/// </summary>
public static partial class NameBinding
{
    public static Result<BoundNames> Bind(TemplateNameRules rules, ParsedCsr csr, CertificateOwner owner, IEnumerable<string> subjectComponents)
    {
        var components = subjectComponents.ToList();
        var rdns = new List<(string Oid, string Value)>();
        foreach (var rdn in csr.Subject.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                return EnrolmentErrors.NameRefused("a multi-valued subject attribute", rules.TemplateName, "subject attributes must have one value each");
            }
            rdns.Add((rdn.GetSingleElementType().Value ?? "", rdn.GetSingleElementValue() ?? ""));
        }
        if (csr.SubjectAltNames.Count > rules.MaxSans)
        {
            return EnrolmentErrors.NameRefused($"{csr.SubjectAltNames.Count} subject alternative names", rules.TemplateName, $"at most {rules.MaxSans} are allowed");
        }
        var checkedNames = rules.FromOwner ? CheckOwnerNames(rules, rdns, csr.SubjectAltNames, owner) : CheckRequestNames(rules, rdns, csr.SubjectAltNames);
        if (checkedNames is { } refused)
        {
            return refused;
        }

        X500DistinguishedName baseSubject;
        if (rules.FromOwner)
        {
            var builder = new X500DistinguishedNameBuilder();
            builder.AddCommonName(owner.CommonName(rules.CnIsDisplayName));
            baseSubject = builder.Build();
            if (rdns.Any(r => r.Oid == TemplateNameRules.KnownRdns["emailAddress"]))
            {
                components.Add(SubjectComposer.Email);
            }
        }
        else
        {
            baseSubject = csr.Subject;
        }
        if (!SubjectComposer.Compose(baseSubject, components, owner.Realm, owner.Email).TryGetValue(out var subject, out var subjectError))
        {
            return subjectError;
        }

        var sans = csr.SubjectAltNames.ToList();
        if (rules.EmailProtection || (rules.FromOwner && rules.OwnerEmailSan))
        {
            // S/MIME clients look for the address in an rfc822Name, not in the subject (RFC 8550 3.1).
            var emails = rules.FromOwner ? [owner.Email] : EmailsIn(subject);
            foreach (var email in emails.Where(e => !string.IsNullOrWhiteSpace(e)))
            {
                if (!sans.Any(s => s.Kind == "email" && string.Equals(s.Value, email, StringComparison.OrdinalIgnoreCase)))
                {
                    sans.Add(new SubjectAltName("email", email!));
                }
            }
        }
        return new BoundNames(subject, sans);
    }

    private static PortalError? CheckOwnerNames(TemplateNameRules rules, List<(string Oid, string Value)> rdns,
        IReadOnlyList<SubjectAltName> sans, CertificateOwner owner)
    {
        const string rule = "the template takes the names from the owner's account";
        foreach (var (oid, value) in rdns)
        {
            var name = $"{TemplateNameRules.RdnName(oid)}={value}";
            var commonName = owner.CommonName(rules.CnIsDisplayName);
            switch (TemplateNameRules.RdnName(oid))
            {
                // A request may carry the user name or the name the template puts there: either way the owner's CN is written.
                case "CN" when !string.Equals(value, owner.UserName, StringComparison.OrdinalIgnoreCase)
                               && !string.Equals(value, commonName, StringComparison.OrdinalIgnoreCase):
                    return EnrolmentErrors.NameRefused(name, rules.TemplateName, $"{rule}: CN must be '{commonName}'");
                case "emailAddress" when !IsOwnersEmail(value, owner):
                    return EnrolmentErrors.NameRefused(name, rules.TemplateName, $"{rule}: the email must be the account's ({owner.Email ?? "it has none"})");
                case "CN" or "emailAddress":
                    break;
                default:
                    return EnrolmentErrors.NameRefused(name, rules.TemplateName, $"{rule}: a request may carry only CN and emailAddress");
            }
        }
        foreach (var san in sans)
        {
            if (san.Kind is not ("email" or "UPN") || !IsOwnersEmail(san.Value, owner))
            {
                return EnrolmentErrors.NameRefused($"SAN {san}", rules.TemplateName, $"{rule}: the only alternative name allowed is the account's email ({owner.Email ?? "it has none"})");
            }
        }
        return null;
    }

    private static PortalError? CheckRequestNames(TemplateNameRules rules, List<(string Oid, string Value)> rdns, IReadOnlyList<SubjectAltName> sans)
    {
        foreach (var (oid, value) in rdns)
        {
            var type = TemplateNameRules.RdnName(oid);
            var name = $"{type}={value}";
            if (!rules.AllowedRdns.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                return EnrolmentErrors.NameRefused(name, rules.TemplateName, $"the subject may hold only {(rules.AllowedRdns.Count == 0 ? "no attributes" : string.Join(", ", rules.AllowedRdns))}");
            }
            if (type == "CN" && HostName().IsMatch(value) && !rules.AllowsDns(value))
            {
                return EnrolmentErrors.NameRefused(name, rules.TemplateName, $"host names must match {string.Join(" or ", rules.DnsPatterns)}");
            }
            if (type == "emailAddress" && !rules.AllowsEmail(value))
            {
                return EnrolmentErrors.NameRefused(name, rules.TemplateName, $"email addresses must match {string.Join(" or ", rules.EmailPatterns)}");
            }
        }
        foreach (var san in sans)
        {
            if (!rules.SanTypes.Contains(san.Kind, StringComparer.OrdinalIgnoreCase))
            {
                return EnrolmentErrors.NameRefused($"SAN {san}", rules.TemplateName, $"the SAN types allowed are {(rules.SanTypes.Count == 0 ? "none" : string.Join(", ", rules.SanTypes))}");
            }
            var refusal = san.Kind switch
            {
                "DNS" when !DnsName().IsMatch(san.Value) => "it is not a DNS name",
                "DNS" when !rules.AllowsDns(san.Value) => $"DNS names must match {string.Join(" or ", rules.DnsPatterns)}",
                "email" when !rules.AllowsEmail(san.Value) => $"email addresses must match {string.Join(" or ", rules.EmailPatterns)}",
                "IP" when !IPAddress.TryParse(san.Value, out _) => "it is not an IP address",
                "URI" when !Uri.TryCreate(san.Value, UriKind.Absolute, out _) => "it is not an absolute URI",
                _ => null,
            };
            if (refusal is not null)
            {
                return EnrolmentErrors.NameRefused($"SAN {san}", rules.TemplateName, refusal);
            }
        }
        return null;
    }

    private static bool IsOwnersEmail(string value, CertificateOwner owner) =>
        !string.IsNullOrWhiteSpace(owner.Email) && string.Equals(value, owner.Email, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string?> EmailsIn(X500DistinguishedName subject) =>
        subject.EnumerateRelativeDistinguishedNames()
            .Where(r => !r.HasMultipleElements && r.GetSingleElementType().Value == TemplateNameRules.KnownRdns["emailAddress"])
            .Select(r => r.GetSingleElementValue());

    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsName();
}
