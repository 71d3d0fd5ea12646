using System.Text;
using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors.Administration;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using CertTokenPortal.Core.CaConnectors.Local.Administration;

namespace CertTokenPortal.Components.Pages.CaConnectors;

/// <summary>
/// Imports an existing CA: its certificate (with the chain above it) and key as PEM, pasted or loaded from files, or
/// a PKCS#12 file. The page only reads the files; every check of the material is Core's (<see cref="ImportLocalCaCommand"/>).
/// </summary>
public partial class ImportCaDialog
{
    private const string PemFormat = "pem";
    private const string Pkcs12Format = "pkcs12";

    /// <summary>The API's limit too: CA material is a few kilobytes, so anything larger is the wrong file.</summary>
    private const long MaxFileBytes = 1024 * 1024;

    private string? _name;
    private string _format = PemFormat;
    private string? _certificatePem;
    private string? _keyPem;
    private string? _keyPassword;
    private string? _pkcs12Base64;
    private string? _pkcs12FileName;
    private string? _pkcs12Password;
    private string? _fileProblem;
    private int? _crlValidityDays = 7;
    private int? _crlOverlapDays = 2;
    private bool _busy;
    private string? _problem;
    private MudForm _form = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject] private ImportLocalCaCommand Import { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private async Task LoadCertificateFileAsync(IBrowserFile? file)
    {
        if (await ReadAsync(file) is { } bytes)
        {
            _certificatePem = Encoding.UTF8.GetString(bytes);
        }
    }

    private async Task LoadKeyFileAsync(IBrowserFile? file)
    {
        if (await ReadAsync(file) is { } bytes)
        {
            _keyPem = Encoding.UTF8.GetString(bytes);
        }
    }

    private async Task LoadPkcs12FileAsync(IBrowserFile? file)
    {
        if (await ReadAsync(file) is { } bytes)
        {
            _pkcs12Base64 = Convert.ToBase64String(bytes);
            _pkcs12FileName = file!.Name;
        }
    }

    private async Task<byte[]?> ReadAsync(IBrowserFile? file)
    {
        _fileProblem = null;
        if (file is null)
        {
            return null;
        }
        if (file.Size > MaxFileBytes)
        {
            _fileProblem = $"{file.Name} is larger than {MaxFileBytes / 1024} KiB; CA certificates and keys are a few KiB.";
            return null;
        }
        using var buffer = new MemoryStream();
        await using var stream = file.OpenReadStream(MaxFileBytes);
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private async Task SubmitAsync()
    {
        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }
        _busy = true;
        try
        {
            var pem = _format == PemFormat;
            var request = new ImportCaRequest(_name?.Trim() ?? "")
            {
                CertificatePem = pem ? _certificatePem : null,
                KeyPem = pem ? _keyPem : null,
                KeyPassword = pem ? _keyPassword : null,
                Pkcs12Base64 = pem ? null : _pkcs12Base64,
                Pkcs12Password = pem ? null : _pkcs12Password,
                CrlValidityDays = _crlValidityDays!.Value,
                CrlOverlapDays = _crlOverlapDays!.Value,
            };
            if (!pem && _pkcs12Base64 is null)
            {
                _fileProblem = "Choose the PKCS#12 file first.";
                return;
            }
            var result = await Import.ExecuteAsync(await Session.GetActorAsync(), request);
            if (result.TryGetValue(out var ca, out var error))
            {
                Snackbar.ShowSuccess($"CA {ca.Name} imported ({ca.Subject}).");
                Dialog.Close(DialogResult.Ok(ca.Name));
                return;
            }
            _problem = error.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
