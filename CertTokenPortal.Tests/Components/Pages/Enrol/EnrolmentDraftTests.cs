using CertTokenPortal.Components.Pages.Enrol;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Components.Pages.Enrol;

[Trait("Category", "Component")]
public sealed class EnrolmentDraftTests
{
    private static readonly Actor Helpdesk = TestPki.Helpdesk;
    private static readonly Actor User = new("ulla", "default", PortalRoles.User, null);
    private static readonly UserSummary Alice = new("1", "alice", "alice@example.test", "corp", PortalRoles.User, false, null, 0, DateTime.UtcNow);

    private static readonly IReadOnlyList<CaConnectorInfo> Cas =
    [
        new("localCA", "local", "CN=Root", "user", null, [Template("server"), Template("user")]),
        new("otherCA", "local", "CN=Other", null, null, [Template("only")]),
    ];

    [Fact]
    public void ChooseCa_PresetsTheDefaultTemplateElseTheFirst()
    {
        var draft = new EnrolmentDraft();

        draft.ChooseCa(Cas[0]);
        Assert.Equal(("localCA", "user"), (draft.CaName, draft.TemplateName));
        draft.ChooseCa(Cas[1]);
        Assert.Equal(("otherCA", "only"), (draft.CaName, draft.TemplateName));
    }

    [Fact]
    public void ToRequest_Csr_HandsOverTheParsedRequestOnceAndTheOwner()
    {
        var draft = new EnrolmentDraft { Owner = Alice, Description = "laptop" };
        var parsed = new CsrParser().Parse(TestCsrs.Rsa("laptop"));
        draft.SetCsr(parsed, null);
        draft.ChooseCa(Cas[0]);

        var request = draft.ToRequest();

        Assert.Equal(("alice", "corp", "localCA", "user", "laptop"), (request.UserName, request.Realm, request.CaName, request.TemplateName, request.Description));
        Assert.Same(parsed.Value, request.ParsedCsr); // the object the wizard showed, not its text again
        Assert.Null(request.Csr);
        Assert.False(request.GenerateKey);
        Assert.Null(request.CertificatePem);
        Assert.Null(request.Pin);
    }

    [Theory]
    [InlineData("RSA", 4096, null, "rsa", "4096", null)]
    [InlineData("EC", 0, "P-384", "ec", null, "P-384")]
    public void ToRequest_GeneratedKey_SendsKeyTypeSizeOrCurveAndPin(string algorithm, int bits, string? curve, string keyType, string? keySize, string? expectedCurve)
    {
        var draft = new EnrolmentDraft
        {
            Method = EnrolmentMethod.GenerateKey,
            KeyAlgorithm = algorithm == "RSA" ? KeyAlgorithmKind.Rsa : KeyAlgorithmKind.Ec,
            RsaBits = bits,
            Curve = curve ?? "P-256",
            Pin = "1234",
            PinConfirmation = "1234",
        };
        draft.ChooseCa(Cas[0]);

        var request = draft.ToRequest();

        Assert.Equal((true, keyType, keySize, expectedCurve, "1234"), (request.GenerateKey, request.KeyType, request.KeySize, request.Curve, request.Pin));
        Assert.Null(request.Csr);
    }

    [Fact]
    public void ToRequest_GeneratedKeyWithRandomPassword_SendsNoPin()
    {
        var draft = new EnrolmentDraft { Method = EnrolmentMethod.GenerateKey, UsePin = false, Pin = "typed before" };

        Assert.Null(draft.ToRequest().Pin);
        Assert.Null(draft.ProtectionProblem);
    }

    [Fact]
    public void ToRequest_Certificate_SendsNoCaAndNoTemplate()
    {
        var draft = new EnrolmentDraft { Method = EnrolmentMethod.Certificate };
        draft.ChooseCa(Cas[0]);
        using var dir = new TempDirectory();
        ExternalTool.OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.File("k"), "-out", dir.File("c"), "-subj", "/CN=up", "-days", "1");
        draft.SetCertificate(CertificateDetails.Read(File.ReadAllText(dir.File("c"))), "c.pem");

        var request = draft.ToRequest();

        Assert.Equal((null, null), (request.CaName, request.TemplateName));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", request.CertificatePem);
        Assert.Null(draft.CaProblem([]));
    }

    [Fact]
    public void Problems_EachStepSaysWhatIsMissing()
    {
        var draft = new EnrolmentDraft();

        Assert.Equal((0, "Upload or paste the certificate request (CSR)."), draft.FirstProblemBefore(4, Helpdesk, Cas));
        draft.SetCsr(new CsrParser().Parse(TestCsrs.Rsa("x")), null);
        Assert.Equal((1, "Choose the CA that should issue the certificate."), draft.FirstProblemBefore(4, Helpdesk, Cas));
        Assert.Equal("No CA is set up yet; ask an administrator.", draft.CaProblem([]));
        draft.ChooseCa(Cas[0]);
        Assert.Equal((2, "Choose the user the certificate is for."), draft.FirstProblemBefore(4, Helpdesk, Cas));
        Assert.Null(draft.FirstProblemBefore(4, User, Cas));
        Assert.Null(draft.FirstProblemBefore(2, Helpdesk, Cas));
    }

    [Fact]
    public void Problems_RefusedCsr_IsTheParsersMessage()
    {
        var draft = new EnrolmentDraft();

        draft.SetCsr(new CsrParser().Parse(TestCsrs.WeakRsa1024("weak")), "weak.csr");

        Assert.Contains("1024 bits", draft.MethodProblem);
        Assert.Null(draft.Csr);
        Assert.Equal("weak.csr", draft.CsrFileName);
    }

    [Theory]
    [InlineData(EnrolmentMethod.Csr, "Method,Ca,Owner,Review")]
    [InlineData(EnrolmentMethod.GenerateKey, "Method,Ca,Owner,Protection,Review")]
    [InlineData(EnrolmentMethod.Certificate, "Method,Owner,Review")]
    public void Steps_Staff_OnlyThoseThatApply(EnrolmentMethod method, string expected)
    {
        var draft = EnrolmentDraft.For(Helpdesk);
        draft.Method = method;

        Assert.Equal(expected, string.Join(",", draft.Steps(Helpdesk)));
    }

    [Fact]
    public void Steps_OwnerPresetOrUser_NoOwnerStep()
    {
        var preset = EnrolmentDraft.For(Helpdesk);
        preset.Method = EnrolmentMethod.GenerateKey;
        preset.ChooseCa(Cas[0]);
        preset.PresetOwner(new UserSummary("1", "alice", null, "default", "user", false, null, 0, default));
        var own = EnrolmentDraft.For(User);
        own.Method = EnrolmentMethod.GenerateKey;

        Assert.Equal("Method,Ca,Protection,Review", string.Join(",", preset.Steps(Helpdesk)));
        Assert.Equal("Method,Ca,Protection,Review", string.Join(",", own.Steps(User)));
        Assert.Null(preset.FirstProblemBefore(3, Helpdesk, Cas)); // random password: nothing to type
        Assert.Equal(("alice", "default"), (preset.ToRequest().UserName, preset.ToRequest().Realm));
    }

    [Fact]
    public void For_StaffStartWithTheRandomPasswordUsersWithTheirPin()
    {
        Assert.False(EnrolmentDraft.For(Helpdesk).UsePin);
        Assert.True(EnrolmentDraft.For(User).UsePin);
    }

    [Theory]
    [InlineData(null, null, "Enter a PIN, or choose a random password instead.")]
    [InlineData("1234", "1235", "The two PINs differ.")]
    [InlineData("1234", "1234", null)]
    public void ProtectionProblem_PinAndConfirmation(string? pin, string? confirmation, string? problem)
    {
        var draft = new EnrolmentDraft { Method = EnrolmentMethod.GenerateKey, Pin = pin, PinConfirmation = confirmation };

        Assert.Equal(problem, draft.ProtectionProblem);
    }

    private static TemplateInfo Template(string name) => new(name, 365, ["digitalSignature"], ["clientAuth"], false, []);
}
