using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Tokens.Enrolment;

namespace CertTokenPortal.Tests.Tokens.Enrolment;

[Trait("Category", "Unit")]
public sealed class NameBindingTests
{
    private static readonly CertificateOwner Alice = new("alice", "staff", "alice@corp.example");

    private static readonly TemplateNameRules OwnerRules = Rules(new CertificateTemplateRecord
    {
        Name = "user", SubjectSource = SubjectSources.Owner, ExtendedKeyUsage = "clientAuth,emailProtection",
    });

    private static readonly TemplateNameRules ServerRules = Rules(new CertificateTemplateRecord
    {
        Name = "server", SubjectSource = SubjectSources.Csr, AllowedRdns = "CN,O,C", AllowedSanTypes = "DNS,IP",
        DnsPatterns = "*.corp.example", MaxSans = 3, ExtendedKeyUsage = "serverAuth",
    });

    [Fact]
    public void Bind_OwnerTemplateCsrForAdmin_RefusedNamingTheNameAndTheRule()
    {
        var result = NameBinding.Bind(OwnerRules, Csr("CN=admin"), Alice, []);

        Assert.Equal(EnrolmentErrors.NameRefused("CN=admin", "user", "the template takes the names from the owner's account: CN must be 'alice'"), result.Error);
    }

    [Fact]
    public void Bind_OwnerTemplateForeignDnsSan_Refused()
    {
        var result = NameBinding.Bind(OwnerRules, Csr("CN=alice", dns: ["www.google.com"]), Alice, []);

        Assert.Equal("The name SAN DNS:www.google.com is refused by template 'user': the template takes the names from the owner's account: " +
                     "the only alternative name allowed is the account's email (alice@corp.example).", result.Error?.Message);
    }

    [Fact]
    public void Bind_OwnerTemplateOtherAttribute_Refused()
    {
        var result = NameBinding.Bind(OwnerRules, Csr("CN=alice, O=Google LLC"), Alice, []);

        Assert.Contains("The name O=Google LLC is refused by template 'user'", result.Error?.Message);
    }

    [Fact]
    public void Bind_OwnerTemplateOwnNames_SubjectFromAccountAndEmailAsRfc822San()
    {
        var result = NameBinding.Bind(OwnerRules, Csr("CN=ALICE", emails: ["alice@corp.example"]), Alice, ["realm"]);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("OU=staff, CN=alice", result.Value.Subject.Name); // .NET names the last RDN first
        Assert.Equal([new SubjectAltName("email", "alice@corp.example")], result.Value.SubjectAltNames);
    }

    [Fact]
    public void Bind_OwnerTemplateWithoutEmailProtection_NoSanAdded()
    {
        var rules = Rules(new CertificateTemplateRecord { Name = "vpn", SubjectSource = SubjectSources.Owner, ExtendedKeyUsage = "clientAuth" });

        var result = NameBinding.Bind(rules, Csr("CN=alice"), Alice, []);

        Assert.Equal(("CN=alice", 0), (result.Value.Subject.Name, result.Value.SubjectAltNames.Count));
    }

    [Theory]
    [InlineData("web.corp.example")]
    [InlineData("a.b.corp.example")]
    [InlineData("*.corp.example")]
    public void Bind_CsrTemplateDnsWithinPattern_Taken(string dns)
    {
        var result = NameBinding.Bind(ServerRules, Csr("CN=web.corp.example, O=Corp", dns: [dns], ips: ["10.0.0.1"]), Alice, []);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("CN=web.corp.example, O=Corp", result.Value.Subject.Name);
        Assert.Equal([new SubjectAltName("DNS", dns), new SubjectAltName("IP", "10.0.0.1")], result.Value.SubjectAltNames);
    }

    [Theory]
    [InlineData("www.google.com")]
    [InlineData("corp.example.evil.test")]
    [InlineData("xcorp.example")]
    public void Bind_CsrTemplateForeignDns_RefusedNamingThePattern(string dns)
    {
        var result = NameBinding.Bind(ServerRules, Csr("CN=web.corp.example", dns: [dns]), Alice, []);

        Assert.Equal(EnrolmentErrors.NameRefused($"SAN DNS:{dns}", "server", "DNS names must match *.corp.example"), result.Error);
    }

    [Fact]
    public void Bind_CsrTemplateHostNameInCnOutsidePattern_Refused()
    {
        var result = NameBinding.Bind(ServerRules, Csr("CN=www.google.com", dns: ["web.corp.example"]), Alice, []);

        Assert.Equal(EnrolmentErrors.NameRefused("CN=www.google.com", "server", "host names must match *.corp.example"), result.Error);
    }

    [Fact]
    public void Bind_CsrTemplateAttributeNotAllowed_Refused()
    {
        var result = NameBinding.Bind(ServerRules, Csr("CN=web.corp.example, OU=Admins"), Alice, []);

        Assert.Equal(EnrolmentErrors.NameRefused("OU=Admins", "server", "the subject may hold only CN, O, C"), result.Error);
    }

    [Fact]
    public void Bind_CsrTemplateSanTypeNotAllowed_Refused()
    {
        var result = NameBinding.Bind(ServerRules, Csr("CN=web.corp.example", emails: ["ceo@corp.example"]), Alice, []);

        Assert.Equal(EnrolmentErrors.NameRefused("SAN email:ceo@corp.example", "server", "the SAN types allowed are DNS, IP"), result.Error);
    }

    [Fact]
    public void Bind_CsrTemplateTooManySans_Refused()
    {
        var result = NameBinding.Bind(ServerRules, Csr("CN=web.corp.example", dns: ["a.corp.example", "b.corp.example", "c.corp.example", "d.corp.example"]), Alice, []);

        Assert.Equal(EnrolmentErrors.NameRefused("4 subject alternative names", "server", "at most 3 are allowed"), result.Error);
    }

    [Fact]
    public void Bind_CsrEmailTemplate_EmailOfTheSubjectBecomesRfc822San()
    {
        var rules = Rules(new CertificateTemplateRecord
        {
            Name = "smime", SubjectSource = SubjectSources.Csr, AllowedRdns = "CN,emailAddress", EmailPatterns = "*@corp.example",
            ExtendedKeyUsage = "emailProtection",
        });

        var taken = NameBinding.Bind(rules, Csr("CN=Shared Mailbox, E=team@corp.example"), Alice, []);
        var refused = NameBinding.Bind(rules, Csr("CN=Shared Mailbox, E=team@evil.test"), Alice, []);

        Assert.Equal([new SubjectAltName("email", "team@corp.example")], taken.Value.SubjectAltNames);
        Assert.Equal(EnrolmentErrors.NameRefused("emailAddress=team@evil.test", "smime", "email addresses must match *@corp.example"), refused.Error);
    }

    [Theory]
    [InlineData("owner", "", "", "", "")]
    [InlineData("csr", "CN,O", "DNS", "*.corp.example host.example", "*@corp.example @example.org")]
    public void Validate_GoodRules_Canonical(string source, string rdns, string sans, string dns, string emails)
    {
        var result = TemplateNameRules.Validate(new CertificateTemplateRecord
        {
            SubjectSource = source.ToUpperInvariant(), AllowedRdns = rdns.ToLowerInvariant(), AllowedSanTypes = sans.ToLowerInvariant(),
            DnsPatterns = dns, EmailPatterns = emails, MaxSans = 5,
        });

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal((source, rdns, sans, sans.Length > 0), (result.Value.SubjectSource, result.Value.AllowedRdns, result.Value.AllowedSanTypes, result.Value.CopySans));
    }

    [Theory]
    [InlineData("anyone", "", "", "", 1, "subject_source 'anyone' is not known")]
    [InlineData("csr", "CN,XX", "", "", 1, "'XX' is not a subject attribute")]
    [InlineData("csr", "", "DNS,X400", "", 1, "'X400' is not a SAN type")]
    [InlineData("csr", "", "DNS", "corp..example", 1, "'corp..example' is not a DNS pattern")]
    [InlineData("csr", "", "DNS", "", 101, "max_sans must be between 0 and 100")]
    public void Validate_BadRules_RefusedNamingTheField(string source, string rdns, string sans, string dns, int max, string message)
    {
        var result = TemplateNameRules.Validate(new CertificateTemplateRecord
        {
            SubjectSource = source, AllowedRdns = rdns, AllowedSanTypes = sans, DnsPatterns = dns, MaxSans = max,
        });

        Assert.Contains(message, result.Error?.Message);
    }

    private static readonly TemplateNameRules DisplayNameRules = Rules(new CertificateTemplateRecord
    {
        Name = "person", SubjectSource = SubjectSources.Owner, SubjectCommonName = "displayname", OwnerEmailSan = true, ExtendedKeyUsage = "clientAuth",
    });

    [Theory]
    [InlineData("CN=alice")]
    [InlineData("CN=Alice Archer")]
    public void Bind_DisplayNameTemplate_CnIsTheDisplayNameAndTheEmailAnRfc822San(string requested)
    {
        var owner = Alice with { DisplayName = "Alice Archer" };

        var result = NameBinding.Bind(DisplayNameRules, Csr(requested), owner, []);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("CN=Alice Archer", result.Value.Subject.Name);
        Assert.Equal(new SubjectAltName("email", "alice@corp.example"), Assert.Single(result.Value.SubjectAltNames));
    }

    [Fact]
    public void Bind_DisplayNameTemplateOwnerWithoutDisplayName_CnIsTheUserName()
    {
        var result = NameBinding.Bind(DisplayNameRules, Csr("CN=alice"), Alice, []);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("CN=alice", result.Value.Subject.Name);
    }

    [Fact]
    public void Bind_DisplayNameTemplateCsrForAnotherName_RefusedNamingTheDisplayName()
    {
        var result = NameBinding.Bind(DisplayNameRules, Csr("CN=Mallory"), Alice with { DisplayName = "Alice Archer" }, []);

        Assert.Equal(EnrolmentErrors.NameRefused("CN=Mallory", "person", "the template takes the names from the owner's account: CN must be 'Alice Archer'"), result.Error);
    }

    [Fact]
    public void Bind_OwnerTemplateWithoutEmailSanOrEmailProtection_AddsNoSan()
    {
        var rules = Rules(new CertificateTemplateRecord { Name = "plain", SubjectSource = SubjectSources.Owner, ExtendedKeyUsage = "clientAuth" });

        var result = NameBinding.Bind(rules, Csr("CN=alice"), Alice, []);

        Assert.Empty(result.Value.SubjectAltNames);
    }

    [Fact]
    public void Validate_UnknownSubjectCn_RefusedNamingTheField()
    {
        var result = TemplateNameRules.Validate(new CertificateTemplateRecord { Name = "x", SubjectCommonName = "nickname" });

        Assert.Equal("subject_cn 'nickname' is not known; use username or displayname.", result.Error?.Message);
    }

    private static TemplateNameRules Rules(CertificateTemplateRecord template) =>
        TemplateNameRules.From(TemplateNameRules.Validate(template).Value);

    private static ParsedCsr Csr(string subject, string[]? dns = null, string[]? emails = null, string[]? ips = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (dns is not null || emails is not null || ips is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dns ?? [])
            {
                san.AddDnsName(name);
            }
            foreach (var email in emails ?? [])
            {
                san.AddEmailAddress(email);
            }
            foreach (var ip in ips ?? [])
            {
                san.AddIpAddress(IPAddress.Parse(ip));
            }
            request.CertificateExtensions.Add(san.Build());
        }
        var parsed = new CsrParser().Parse(request.CreateSigningRequestPem());
        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        return parsed.Value;
    }
}
