using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>Where the certificate of a new token comes from: a user's CSR, a key generated here, or an uploaded certificate.</summary>
public abstract record EnrolmentSource : IDisposable
{
    public abstract string Mode { get; }

    /// <summary>The CSR sent to the CA: the user's, or the one built for a generated key; none for an uploaded certificate.</summary>
    public virtual ParsedCsr? RequestCsr => null;

    public virtual void Dispose()
    {
    }

    /// <summary>The user's CSR, already checked.</summary>
    public sealed record FromCsr(ParsedCsr Csr) : EnrolmentSource
    {
        public override string Mode => EnrolmentModes.Request;

        public override ParsedCsr? RequestCsr => Csr;
    }

    /// <summary>A key pair made on the server with its CSR. The private key lives only in this object's memory.</summary>
    public sealed record FromGeneratedKey(AsymmetricAlgorithm Key, ParsedCsr Csr, KeySpec Spec) : EnrolmentSource
    {
        public override string Mode => EnrolmentModes.GenerateKey;

        public override ParsedCsr? RequestCsr => Csr;

        public override void Dispose() => Key.Dispose();
    }

    /// <summary>An existing certificate to be tracked; no CA is asked.</summary>
    public sealed record FromCertificate(X509Certificate2 Certificate) : EnrolmentSource
    {
        public override string Mode => EnrolmentModes.Certificate;

        public override void Dispose() => Certificate.Dispose();
    }
}

/// <summary>
/// Reads the mode parameters of an enrolment and checks them, cheaply and before anything else happens; the key of
/// the genkey mode is generated only later, by <see cref="EnrolmentSourceReader.Open"/>, once owner and CA are known.
/// </summary>
public sealed record EnrolmentPlan(string Mode, ParsedCsr? Csr, X509Certificate2? Certificate, KeySpec? KeySpec);

public sealed class EnrolmentSourceReader(CsrParser csrParser, KeyGenerator keyGenerator, CsrBuilder csrBuilder)
{
    /// <summary>Checks that exactly one mode was chosen and that its input is usable.</summary>
    public Result<EnrolmentPlan> Read(EnrolmentRequest request)
    {
        var hasCsr = request.ParsedCsr is not null || !string.IsNullOrWhiteSpace(request.Csr);
        var hasCertificate = !string.IsNullOrWhiteSpace(request.CertificatePem);
        var modes = (hasCsr ? 1 : 0) + (request.GenerateKey ? 1 : 0) + (hasCertificate ? 1 : 0);
        if (modes != 1)
        {
            return PortalError.Validation(modes == 0
                ? "Say how to enrol: give a CSR ('request'), ask for a generated key ('genkey=1'), or upload a certificate ('certificate')."
                : "Give exactly one of 'request', 'genkey' and 'certificate', not several.");
        }

        if (request.ParsedCsr is { } parsed)
        {
            return new EnrolmentPlan(EnrolmentModes.Request, parsed, null, null); // parsed and checked at the edge
        }
        if (hasCsr)
        {
            return csrParser.Parse(request.Csr!).Map(csr => new EnrolmentPlan(EnrolmentModes.Request, csr, null, null));
        }
        if (hasCertificate)
        {
            // A token holds one certificate: a second one in the upload (a chain, a bundle) is refused, not dropped.
            if (System.Text.RegularExpressions.Regex.Count(request.CertificatePem!, "-----BEGIN [A-Z0-9 ]*CERTIFICATE-----") > 1)
            {
                return EnrolmentErrors.UploadRefused("it holds more than one certificate; upload one certificate per token");
            }
            return CertificateDetails.Load(request.CertificatePem!).Map(cert => new EnrolmentPlan(EnrolmentModes.Certificate, null, cert, null));
        }
        return KeySpec.Parse(request.KeyType, request.KeySize, request.Curve)
            .Map(spec => new EnrolmentPlan(EnrolmentModes.GenerateKey, null, null, spec));
    }

    /// <summary>Turns a plan into its source; for genkey this generates the key pair and its CSR, with the owner as common name.</summary>
    public EnrolmentSource Open(EnrolmentPlan plan, string ownerName)
    {
        if (plan.Csr is not null)
        {
            return new EnrolmentSource.FromCsr(plan.Csr);
        }
        if (plan.Certificate is not null)
        {
            return new EnrolmentSource.FromCertificate(plan.Certificate);
        }

        var key = keyGenerator.Generate(plan.KeySpec!);
        try
        {
            var subject = new X500DistinguishedNameBuilder();
            subject.AddCommonName(ownerName);
            return new EnrolmentSource.FromGeneratedKey(key, csrBuilder.Build(key, subject.Build()), plan.KeySpec!);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
