using System.Security.Cryptography;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Users;

namespace CertTokenPortal.Components.Pages.Enrol;

/// <summary>How the certificate of a new token comes about (the wizard's first choice).</summary>
public enum EnrolmentMethod
{
    Csr,
    GenerateKey,
    Certificate,
}

/// <summary>The wizard's steps; only those that apply to an enrolment are shown (see <see cref="EnrolmentDraft.Steps"/>).</summary>
public enum WizardStep
{
    Method,
    Ca,
    Owner,
    Protection,
    Review,
}

/// <summary>
/// What the enrolment wizard has collected so far: view state only. It says, per step, what is still missing, and
/// turns into the <see cref="EnrolmentRequest"/> that Core checks for real.
/// </summary>
public sealed class EnrolmentDraft
{
    public EnrolmentMethod Method { get; set; } = EnrolmentMethod.Csr;

    /// <summary>The CSR as checked by Core's parser; null until a good one was given.</summary>
    public ParsedCsr? Csr { get; private set; }
    /// <summary>Why the last CSR given was refused, in the parser's words.</summary>
    public string? CsrProblem { get; private set; }
    /// <summary>The text in the paste box (empty when the CSR came from a file).</summary>
    public string CsrText { get; set; } = "";
    public string? CsrFileName { get; private set; }
    /// <summary>An attestation certificate (PEM) for the CSR's key, for policies that ask for one.</summary>
    public string? Attestation { get; set; }

    public CertificateDetails? Certificate { get; private set; }
    public string? CertificateProblem { get; private set; }
    public string CertificateText { get; set; } = "";
    public string? CertificateFileName { get; private set; }

    public KeyAlgorithmKind KeyAlgorithm { get; set; } = KeyAlgorithmKind.Rsa;
    public int RsaBits { get; set; } = KeySpec.RsaSizes[0];
    public string Curve { get; set; } = KeySpec.Curves[0];

    public string? CaName { get; set; }
    public string? TemplateName { get; set; }

    /// <summary>The chosen owner; staff only (a user enrols for themself).</summary>
    public UserSummary? Owner { get; set; }
    /// <summary>The owner came with the address ("Enrol for this user"): the owner step is not shown.</summary>
    public bool OwnerPreset { get; private set; }
    public string? Description { get; set; }

    /// <summary>
    /// For generated keys: protect the PKCS#12 with a PIN of one's choice, or with a random password shown once. Staff
    /// enrolling for someone else start with the random password (see <see cref="For"/>): a PIN they chose would be
    /// one more secret to hand over, and a weaker one.
    /// </summary>
    public bool UsePin { get; set; } = true;
    public string? Pin { get; set; }
    public string? PinConfirmation { get; set; }

    /// <summary>Only CSRs and generated keys go to a CA; an uploaded certificate is tracked as it is.</summary>
    public bool NeedsCa => Method != EnrolmentMethod.Certificate;

    /// <summary>A fresh draft for <paramref name="actor"/>: a user protects their key with their own PIN, staff with a random password.</summary>
    public static EnrolmentDraft For(Actor actor) => new() { UsePin = !actor.Allows(Permission.EnrolForOthers) };

    /// <summary>Sets the owner from the address; the wizard then skips the owner step.</summary>
    public void PresetOwner(UserSummary owner)
    {
        Owner = owner;
        OwnerPreset = true;
    }

    /// <summary>
    /// The steps that apply, in order: no CA step for an uploaded certificate (no CA is asked), no owner step for a
    /// user (the owner is themself) or when the owner came with the address, no protection step unless a key is made
    /// here (a CSR's or certificate's key never passes through the portal).
    /// </summary>
    public IReadOnlyList<WizardStep> Steps(Actor actor)
    {
        var steps = new List<WizardStep> { WizardStep.Method };
        if (NeedsCa)
        {
            steps.Add(WizardStep.Ca);
        }
        if (actor.Allows(Permission.EnrolForOthers) && !OwnerPreset)
        {
            steps.Add(WizardStep.Owner);
        }
        if (Method == EnrolmentMethod.GenerateKey)
        {
            steps.Add(WizardStep.Protection);
        }
        steps.Add(WizardStep.Review);
        return steps;
    }

    public string KeyDescription => KeyAlgorithm == KeyAlgorithmKind.Rsa ? $"RSA {RsaBits}" : $"EC {Curve}";

    public void SetCsr(Result<ParsedCsr> parsed, string? fileName)
    {
        CsrFileName = fileName;
        (Csr, CsrProblem) = parsed.TryGetValue(out var csr, out var error) ? (csr, null) : ((ParsedCsr?)null, error.Message);
    }

    public void ClearCsr()
    {
        (Csr, CsrProblem, CsrFileName, CsrText) = (null, null, null, "");
    }

    public void SetCertificate(Result<CertificateDetails> read, string? fileName)
    {
        CertificateFileName = fileName;
        (Certificate, CertificateProblem) = read.TryGetValue(out var certificate, out var error)
            ? (certificate, null)
            : ((CertificateDetails?)null, error.Message);
    }

    public void ClearCertificate()
    {
        (Certificate, CertificateProblem, CertificateFileName, CertificateText) = (null, null, null, "");
    }

    /// <summary>Picks the CA and, with it, its default template (or its only one).</summary>
    public void ChooseCa(CaConnectorInfo? ca)
    {
        CaName = ca?.Name;
        TemplateName = ca?.DefaultTemplate is { } preset && ca.Templates.Any(t => t.Name == preset)
            ? preset
            : ca?.Templates.FirstOrDefault()?.Name;
    }

    public string? MethodProblem => Method switch
    {
        EnrolmentMethod.Csr when Csr is null => CsrProblem ?? "Upload or paste the certificate request (CSR).",
        EnrolmentMethod.Certificate when Certificate is null => CertificateProblem ?? "Upload or paste the certificate.",
        _ => null,
    };

    public string? CaProblem(IReadOnlyList<CaConnectorInfo> cas)
    {
        if (!NeedsCa)
        {
            return null;
        }
        var ca = cas.FirstOrDefault(c => c.Name == CaName);
        if (ca is null)
        {
            return cas.Count == 0 ? "No CA is set up yet; ask an administrator." : "Choose the CA that should issue the certificate.";
        }
        return ca.Templates.Any(t => t.Name == TemplateName) ? null : "Choose a certificate template.";
    }

    public string? OwnerProblem(Actor actor) =>
        actor.Allows(Permission.EnrolForOthers) && Owner is null ? "Choose the user the certificate is for." : null;

    public string? ProtectionProblem
    {
        get
        {
            if (Method != EnrolmentMethod.GenerateKey || !UsePin)
            {
                return null;
            }
            if (string.IsNullOrEmpty(Pin))
            {
                return "Enter a PIN, or choose a random password instead.";
            }
            return Pin == PinConfirmation ? null : "The two PINs differ.";
        }
    }

    /// <summary>What <paramref name="step"/> still misses, or null when it is complete.</summary>
    public string? ProblemOf(WizardStep step, Actor actor, IReadOnlyList<CaConnectorInfo> cas) => step switch
    {
        WizardStep.Method => MethodProblem,
        WizardStep.Ca => CaProblem(cas),
        WizardStep.Owner => OwnerProblem(actor),
        WizardStep.Protection => ProtectionProblem,
        _ => null,
    };

    /// <summary>
    /// The first thing still missing on the way to step number <paramref name="step"/> (exclusive) of
    /// <see cref="Steps"/>, with that step's number.
    /// </summary>
    public (int Step, string Problem)? FirstProblemBefore(int step, Actor actor, IReadOnlyList<CaConnectorInfo> cas)
    {
        var steps = Steps(actor);
        for (var i = 0; i < Math.Min(step, steps.Count); i++)
        {
            if (ProblemOf(steps[i], actor, cas) is { } problem)
            {
                return (i, problem);
            }
        }
        return null;
    }

    public EnrolmentRequest ToRequest() => new()
    {
        // Absent for a user: Core makes the caller the owner.
        UserName = Owner?.UserName,
        Realm = Owner?.Realm,
        CaName = NeedsCa ? CaName : null,
        TemplateName = NeedsCa ? TemplateName : null,
        // The request the wizard parsed and showed is handed over as it is: parsed once, never re-encoded.
        ParsedCsr = Method == EnrolmentMethod.Csr ? Csr : null,
        GenerateKey = Method == EnrolmentMethod.GenerateKey,
        KeyType = Method == EnrolmentMethod.GenerateKey ? (KeyAlgorithm == KeyAlgorithmKind.Rsa ? "rsa" : "ec") : null,
        KeySize = Method == EnrolmentMethod.GenerateKey && KeyAlgorithm == KeyAlgorithmKind.Rsa ? RsaBits.ToString() : null,
        Curve = Method == EnrolmentMethod.GenerateKey && KeyAlgorithm == KeyAlgorithmKind.Ec ? Curve : null,
        CertificatePem = Method == EnrolmentMethod.Certificate ? Certificate?.Pem : null,
        Pin = Method == EnrolmentMethod.GenerateKey && UsePin ? Pin : null,
        Attestation = Method == EnrolmentMethod.Csr && !string.IsNullOrWhiteSpace(Attestation) ? Attestation : null,
        Description = Description,
    };
}
