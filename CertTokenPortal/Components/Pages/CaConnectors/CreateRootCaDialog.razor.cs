using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.CaConnectors;

/// <summary>
/// Creates a local CA: a self-signed root, or, given <see cref="Parents"/>, a subordinate CA signed by one of them.
/// Stays open with Core's reason under the field it is about when Core refuses, so nothing typed is lost; closes
/// with the new CA's name.
/// </summary>
public partial class CreateRootCaDialog
{
    /// <summary>The CA keys Core offers (RSA 2048 is too short-lived for a CA).</summary>
    private static readonly (string Value, string Label)[] KeyChoices =
    [
        ("rsa:3072", "RSA 3072"), ("rsa:4096", "RSA 4096"), ("ec:P-256", "EC P-256"), ("ec:P-384", "EC P-384"),
    ];

    private string? _name;
    private string? _subject;
    private string? _parent;
    private string _key = KeyChoices[0].Value;
    private int? _validityDays;
    private int? _crlValidityDays = 7;
    private int? _crlOverlapDays = 2;
    private bool _busy;
    private MudForm _form = default!;
    private readonly CoreFieldProblems _problems;

    public CreateRootCaDialog() =>
        _problems = new CoreFieldProblems(field => field switch
        {
            "name" => _name,
            "subject" => _subject,
            "parent" => _parent,
            "keytype" => _key,
            "validity_days" => _validityDays,
            "crl_validity_days" => _crlValidityDays,
            "crl_overlap_days" => _crlOverlapDays,
            _ => null,
        }, "name", "subject", "parent", "keytype", "validity_days", "crl_validity_days", "crl_overlap_days");

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The local CAs that may sign a subordinate CA; null for a new root CA.</summary>
    [Parameter] public IReadOnlyList<string>? Parents { get; set; }

    [Inject] private CreateLocalRootCaCommand CreateRoot { get; set; } = default!;
    [Inject] private CreateLocalSubordinateCaCommand CreateSubordinate { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private bool IsSubordinate => Parents is not null;

    protected override void OnInitialized()
    {
        // A root lasts ten years; a CA below it half of that, so it is renewed while its parent still stands.
        _validityDays = IsSubordinate ? 1825 : 3650;
        _parent = Parents is [var only] ? only : null;
    }

    private async Task SubmitAsync()
    {
        _problems.Clear();
        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }
        _busy = true;
        // Let the busy button render before the key is generated (RSA 4096 takes seconds).
        await Task.Yield();
        try
        {
            var result = await CreateAsync();
            if (result.TryGetValue(out var ca, out var error))
            {
                Snackbar.ShowSuccess(IsSubordinate ? $"Subordinate CA {ca.Name} created, signed by {_parent}." : $"Root CA {ca.Name} created.");
                Dialog.Close(DialogResult.Ok(ca.Name));
                return;
            }
            _problems.Show(error);
            if (_problems.ShowsUnderField)
            {
                await _form.ValidateAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<Result<CaConnectorInfo>> CreateAsync()
    {
        var parts = _key.Split(':');
        var (type, size) = (parts[0], parts[1]);
        var actor = await Session.GetActorAsync();
        if (IsSubordinate)
        {
            return await CreateSubordinate.ExecuteAsync(actor, new NewSubordinateCaRequest(_name?.Trim() ?? "", _subject ?? "", _parent ?? "")
            {
                KeyType = type,
                KeySize = type == "rsa" ? size : null,
                Curve = type == "ec" ? size : null,
                ValidityDays = _validityDays!.Value,
                CrlValidityDays = _crlValidityDays!.Value,
                CrlOverlapDays = _crlOverlapDays!.Value,
            });
        }
        return await CreateRoot.ExecuteAsync(actor, new NewRootCaRequest(_name?.Trim() ?? "", _subject ?? "")
        {
            KeyType = type,
            KeySize = type == "rsa" ? size : null,
            Curve = type == "ec" ? size : null,
            ValidityDays = _validityDays!.Value,
            CrlValidityDays = _crlValidityDays!.Value,
            CrlOverlapDays = _crlOverlapDays!.Value,
        });
    }
}
