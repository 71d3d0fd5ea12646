using System.IO.Pipelines;
using CertTokenPortal.Core.Tokens.Lifecycle;
using Microsoft.JSInterop;
using MudBlazor;

namespace CertTokenPortal.Components.Shared;

/// <summary>
/// The portal's browser helpers (<c>wwwroot/js/portal.js</c>): saving a file the circuit holds and copying text. Files
/// go through the circuit rather than a download URL when only this circuit has them (a fresh PKCS#12) or when a
/// page already holds the actor that Core checks.
/// </summary>
public static class PortalJs
{
    /// <summary>Streams <paramref name="content"/> to the browser, which saves it as <paramref name="fileName"/>.</summary>
    public static async Task SaveFileAsync(this IJSRuntime js, string fileName, string contentType, Stream content, CancellationToken ct = default)
    {
        using var reference = new DotNetStreamReference(content, leaveOpen: true);
        await js.InvokeVoidAsync("portal.saveFile", ct, fileName, contentType, reference);
    }

    public static async Task SaveFileAsync(this IJSRuntime js, DownloadFile file, CancellationToken ct = default)
    {
        using var content = new MemoryStream(file.Content, writable: false);
        await js.SaveFileAsync(file.FileName, file.ContentType, content, ct);
    }

    /// <summary>
    /// Streams what <paramref name="write"/> writes to the browser as it is written (a CSV export of many tokens), so
    /// the server never holds the whole file. The pipe between the two sides bounds the memory in use.
    /// </summary>
    public static async Task SaveFileAsync(this IJSRuntime js, string fileName, string contentType,
        Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            try
            {
                await using (var sink = pipe.Writer.AsStream(leaveOpen: true))
                {
                    await write(sink, ct);
                }
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, ct);

        await using (var source = pipe.Reader.AsStream(leaveOpen: true))
        {
            try
            {
                await js.SaveFileAsync(fileName, contentType, source, ct);
            }
            finally
            {
                // Should the browser stop reading early, the writer must not wait for it forever.
                await pipe.Reader.CompleteAsync();
            }
        }
        await writing;
    }

    /// <summary>The dark-mode choice this browser remembers: true for dark, false for light, null when never chosen.</summary>
    public static async Task<bool?> GetDarkModeChoiceAsync(this IJSRuntime js) =>
        await js.InvokeAsync<string?>("portal.getThemeChoice") switch
        {
            "dark" => true,
            "light" => false,
            _ => null,
        };

    /// <summary>Remembers the dark-mode choice in this browser (local storage), for every later visit.</summary>
    public static ValueTask SaveDarkModeChoiceAsync(this IJSRuntime js, bool dark) =>
        js.InvokeVoidAsync("portal.setThemeChoice", dark ? "dark" : "light");

    /// <summary>Copies text to the clipboard; false when the browser refused.</summary>
    public static ValueTask<bool> CopyTextAsync(this IJSRuntime js, string text) =>
        js.InvokeAsync<bool>("portal.copyText", text);

    /// <summary>
    /// Copies text and says so in a snackbar, or, when the browser refused, asks the user to select
    /// <paramref name="what"/> (e.g. "the password") and copy it by hand. Returns whether it was copied.
    /// </summary>
    public static async Task<bool> CopyWithNoticeAsync(this IJSRuntime js, ISnackbar snackbar, string text, string copiedMessage, string what)
    {
        if (await js.CopyTextAsync(text))
        {
            snackbar.ShowSuccess(copiedMessage);
            return true;
        }
        snackbar.Add($"The browser did not allow copying; select {what} and copy it by hand.", Severity.Warning);
        return false;
    }
}
