using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// A real SMTP server in the test process (the SmtpServer package) on 127.0.0.1 and a free port. It keeps what it
/// receives; with <see cref="Failing"/> it refuses every message, like a broken relay. With a certificate it offers
/// STARTTLS, with credentials it requires AUTH.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly ConcurrentQueue<ReceivedMail> _received = new();

    public sealed record ReceivedMail(string Envelope, IReadOnlyList<string> To, MimeMessage Message, bool Secure, string? User);

    private TestSmtpServer(int port, X509Certificate2? certificate, (string User, string Password)? credentials)
    {
        Port = port;
        Certificate = certificate;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e =>
        {
            e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).IsSecure(false);
            if (certificate is not null)
            {
                e.Certificate(certificate);
            }
            if (credentials is not null)
            {
                e.AuthenticationRequired().AllowUnsecureAuthentication(certificate is null);
            }
        }).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        if (credentials is { } c)
        {
            services.Add(new DelegatingUserAuthenticator((user, password) => user == c.User && password == c.Password));
        }
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }
    public X509Certificate2? Certificate { get; }
    /// <summary>The hex SHA-256 of the server certificate, for <c>Portal:Mail:ServerCertificateSha256</c>.</summary>
    public string? CertificateSha256 => Certificate is null ? null : Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    /// <summary>While true, every message is refused with 554.</summary>
    public bool Failing { get; set; }

    public IReadOnlyList<ReceivedMail> Received => _received.ToList();

    public static TestSmtpServer Start(bool startTls = false, (string User, string Password)? credentials = null) =>
        new(FreePort(), startTls ? SelfSignedCertificate() : null, credentials);

    /// <summary>Settings that point the portal at this server.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Portal:Mail:Enabled"] = "true",
        ["Portal:Mail:Host"] = "127.0.0.1",
        ["Portal:Mail:Port"] = Port.ToString(),
        ["Portal:Mail:Security"] = Certificate is null ? "None" : "StartTls",
        ["Portal:Mail:ServerCertificateSha256"] = CertificateSha256 ?? "",
        ["Portal:Mail:From"] = "CertTokenPortal <pki@example.test>",
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=smtp.test", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        Certificate?.Dispose();
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (server.Failing)
            {
                return Task.FromResult(SmtpResponse.TransactionFailed);
            }
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream);
            server._received.Enqueue(new ReceivedMail(
                $"{transaction.From.User}@{transaction.From.Host}", transaction.To.Select(t => $"{t.User}@{t.Host}").ToList(), message,
                context.Pipe.IsSecure, context.Authentication.User));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
