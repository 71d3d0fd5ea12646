using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>The formats a token's certificate can be downloaded in.</summary>
public enum CertificateFormat
{
    /// <summary>The certificate alone, PEM.</summary>
    Pem,
    /// <summary>The certificate alone, DER.</summary>
    Der,
    /// <summary>The certificate and its CA chain, PEM, leaf first.</summary>
    ChainPem,
    /// <summary>The certificate and its CA chain as a PKCS#7 (P7B) bundle.</summary>
    P7b,
}

/// <summary>A file to hand to the browser or an API client.</summary>
public sealed record DownloadFile(byte[] Content, string ContentType, string FileName);

/// <summary>Exports a token's certificate, alone or with its chain, for anyone who may view the token.</summary>
public sealed class ExportCertificateQuery(GetTokenQuery tokens, ICaConnectorRegistry caConnectors, Audit.IAuditLog audit)
{
    public static bool TryParseFormat(string? name, out CertificateFormat format)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "pem":
                format = CertificateFormat.Pem;
                return true;
            case "der" or "cer" or "crt":
                format = CertificateFormat.Der;
                return true;
            case "chain" or "chainpem" or "fullchain":
                format = CertificateFormat.ChainPem;
                return true;
            case "p7b" or "pkcs7" or "p7c":
                format = CertificateFormat.P7b;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public async Task<Result<DownloadFile>> ExecuteAsync(Actor actor, string serial, CertificateFormat format, CancellationToken ct = default)
    {
        var file = await ExportAsync(actor, serial, format, ct);
        if (file.IsSuccess)
        {
            // A download is part of the token's history (who took the certificate where, and when).
            await audit.RecordAsync(actor, Audit.AuditEvent.Succeeded(Audit.AuditActions.TokenDownloadCertificate,
                $"Downloaded the certificate of token {serial} as {format}.") with { Serial = serial }, ct);
        }
        return file;
    }

    private async Task<Result<DownloadFile>> ExportAsync(Actor actor, string serial, CertificateFormat format, CancellationToken ct)
    {
        if (!(await tokens.ExecuteAsync(actor, serial, ct: ct)).TryGetValue(out var token, out var error))
        {
            return error;
        }
        if (token.CertificatePem is null)
        {
            return PortalError.NotFound($"Token {serial} holds no certificate ({token.RolloutState.ToName()}).");
        }

        using var certificate = X509Certificate2.CreateFromPem(token.CertificatePem);
        switch (format)
        {
            case CertificateFormat.Pem:
                return new DownloadFile(Encoding.ASCII.GetBytes(token.CertificatePem), "application/x-pem-file", $"{serial}.pem");
            case CertificateFormat.Der:
                return new DownloadFile(certificate.RawData, "application/pkix-cert", $"{serial}.cer");
        }

        var chain = await ChainAsync(token.CaName, ct);
        if (format == CertificateFormat.ChainPem)
        {
            var pem = string.Concat(new[] { certificate }.Concat(chain).Select(c => c.ExportCertificatePem() + "\n"));
            return new DownloadFile(Encoding.ASCII.GetBytes(pem), "application/x-pem-file", $"{serial}-chain.pem");
        }

        var collection = new X509Certificate2Collection(certificate);
        collection.AddRange(chain.ToArray());
        return new DownloadFile(collection.Export(X509ContentType.Pkcs7)!, "application/x-pkcs7-certificates", $"{serial}.p7b");
    }

    private async Task<IReadOnlyList<X509Certificate2>> ChainAsync(string? caName, CancellationToken ct)
    {
        if (caName is null)
        {
            return [];
        }
        var connector = await caConnectors.GetAsync(caName, ct);
        return connector.IsSuccess && connector.Value is ICaCertificateChain chain ? await chain.GetChainAsync(ct) : [];
    }
}
