using System.Globalization;
using System.Text;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>
/// Writes every token that matches a filter as CSV (RFC 4180), in batches, so that a large export never holds all
/// tokens in memory. The same export serves the API's <c>outform=csv</c> and the grid's download button.
/// </summary>
public sealed class ExportTokensCsvQuery(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, TimeProvider clock)
{
    private const int BatchSize = 500;

    private static readonly string[] Header =
    [
        "serial", "tokentype", "username", "realm", "description", "active", "revoked", "locked", "rollout_state",
        "CA", "template", "subject", "issuer", "cert_serial", "not_before", "not_after", "key",
    ];

    public async Task ExecuteAsync(Actor actor, TokenQuery query, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', Header));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var filtered = TokenFilters.Apply(db.Tokens.AsNoTracking(), db.Users.AsNoTracking(), db.TokenInfo.AsNoTracking(), actor, query, clock.GetUtcNow().UtcDateTime);
        long lastId = 0;
        var written = 0;
        while (true)
        {
            // Keyset paging on the id: each batch costs the same, however far into the export it is.
            var batch = await filtered.Where(t => t.Id > lastId).OrderBy(t => t.Id).Take(BatchSize)
                .Select(t => new
                {
                    t.Id,
                    View = new TokenCsvRow(t.Serial, t.OwnerUserName, t.OwnerRealm, t.Description, t.Active, t.Revoked, t.Locked,
                        t.RolloutState, t.CaName, t.TemplateName, t.Subject, t.Issuer, t.CertificateSerial, t.NotBefore, t.NotAfter,
                        t.KeyDescription),
                }).ToListAsync(ct);
            foreach (var row in batch)
            {
                await writer.WriteLineAsync(string.Join(',', Fields(row.View).Select(Quote)));
            }
            written += batch.Count;
            if (batch.Count < BatchSize)
            {
                break;
            }
            lastId = batch[^1].Id;
        }
        await writer.FlushAsync(ct);

        await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.TokenList, $"Exported {written} tokens as CSV."), ct);
    }

    private sealed record TokenCsvRow(
        string Serial, string UserName, string Realm, string Description, bool Active, bool Revoked, bool Locked,
        RolloutState State, string? Ca, string? Template, string? Subject, string? Issuer, string? CertSerial,
        DateTime? NotBefore, DateTime? NotAfter, string? Key);

    private static IEnumerable<string?> Fields(TokenCsvRow r) =>
    [
        r.Serial, CertificateToken.TypeName, r.UserName, r.Realm, r.Description, Bool(r.Active), Bool(r.Revoked),
        Bool(r.Locked), r.State.ToName(), r.Ca, r.Template, r.Subject, r.Issuer, r.CertSerial, Iso(r.NotBefore),
        Iso(r.NotAfter), r.Key,
    ];

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Iso(DateTime? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so that spreadsheets do not run it as a formula.</summary>
    private static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
