using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace CertTokenPortal.Components.Pages.Enrol;

/// <summary>The first wizard step: CSR, generated key or certificate, each input checked by Core as soon as it arrives.</summary>
public partial class MethodStep
{
    [Parameter, EditorRequired] public EnrolmentDraft Draft { get; set; } = default!;

    /// <summary>Raised after every change, so the wizard can update what depends on the draft.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    [Inject] private CsrParser Parser { get; set; } = default!;

    private Task MethodChangedAsync(EnrolmentMethod method)
    {
        Draft.Method = method;
        return OnChanged.InvokeAsync();
    }

    private async Task CsrFileChosenAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }
        Draft.CsrText = "";
        var bytes = await ReadAsync(file, CsrParser.MaxInputBytes);
        Draft.SetCsr(bytes is null ? TooLarge(file, "certificate request") : Parser.Parse(bytes), file.Name);
        await OnChanged.InvokeAsync();
    }

    private Task CsrTextChangedAsync(string? text)
    {
        Draft.CsrText = text ?? "";
        if (string.IsNullOrWhiteSpace(text))
        {
            Draft.ClearCsr();
        }
        else
        {
            Draft.SetCsr(Parser.Parse(text), null);
        }
        return OnChanged.InvokeAsync();
    }

    private async Task CertificateFileChosenAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }
        Draft.CertificateText = "";
        var bytes = await ReadAsync(file, CertificateDetails.MaxInputBytes);
        Draft.SetCertificate(bytes is null ? TooLarge(file, "certificate") : CertificateDetails.Read(bytes), file.Name);
        await OnChanged.InvokeAsync();
    }

    private Task CertificateTextChangedAsync(string? text)
    {
        Draft.CertificateText = text ?? "";
        if (string.IsNullOrWhiteSpace(text))
        {
            Draft.ClearCertificate();
        }
        else
        {
            Draft.SetCertificate(CertificateDetails.Read(text), null);
        }
        return OnChanged.InvokeAsync();
    }

    private Task KeyChangedAsync(string key)
    {
        // "RSA 3072" or "EC P-384", as the radio buttons name them.
        var (algorithm, size) = (key.Split(' ')[0], key.Split(' ')[1]);
        if (algorithm == "RSA")
        {
            Draft.KeyAlgorithm = KeyAlgorithmKind.Rsa;
            Draft.RsaBits = int.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            Draft.KeyAlgorithm = KeyAlgorithmKind.Ec;
            Draft.Curve = size;
        }
        return OnChanged.InvokeAsync();
    }

    /// <summary>The file's bytes, or null when it is larger than <paramref name="limit"/> (it is then not read at all).</summary>
    private static async Task<byte[]?> ReadAsync(IBrowserFile file, int limit)
    {
        if (file.Size > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream((int)file.Size);
        await using var stream = file.OpenReadStream(limit);
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static PortalError TooLarge(IBrowserFile file, string what) =>
        PortalError.Validation($"The file {file.Name} is larger than {CsrParser.MaxInputBytes / 1024} KiB; it cannot be a single {what}.");
}
