using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Components.Pages.CaConnectors;

/// <summary>
/// Creates or replaces a template of a CA. The choices are Core's own vocabulary (RFC 5280 names); Core checks them
/// again and stays the authority. Stays open with the reason when Core refuses.
/// </summary>
public partial class TemplateDialog
{
    private string? _name;
    private int? _validityDays = 365;
    private IReadOnlyCollection<string> _keyUsages = ["digitalSignature", "keyEncipherment"];
    private IReadOnlyCollection<string> _extendedKeyUsages = ["clientAuth"];
    private string? _otherOids;
    private bool _namesFromRequest;
    private string? _allowedRdns = "CN,O,OU,L,ST,C";
    private IReadOnlyCollection<string> _sanTypes = ["DNS"];
    private string? _dnsPatterns;
    private string? _emailPatterns;
    private int _maxSans = TemplateNameRules.DefaultMaxSans;
    private bool _staffOnly;
    private string _commonName = CommonNameSources.UserName;
    private bool _ownerEmailSan;
    private bool _addEmail;
    private bool _addRealm;
    private bool _makeDefault;
    private TemplateRenewalFields.RenewalDraft _renewal = new();
    private bool _busy;
    private string? _problem;
    private MudForm _form = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired] public string CaName { get; set; } = "";

    /// <summary>The template to edit; null for a new one.</summary>
    [Parameter] public TemplateInfo? Existing { get; set; }

    [Parameter] public bool IsDefault { get; set; }

    [Inject] private SetTemplateCommand SetTemplate { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override void OnInitialized()
    {
        _makeDefault = IsDefault;
        _renewal = TemplateRenewalFields.RenewalDraft.From(Existing);
        if (Existing is not { } template)
        {
            return;
        }
        var knownExtended = CertificateVocabulary.ExtendedKeyUsageNames;
        _name = template.Name;
        _validityDays = template.ValidityDays;
        _keyUsages = template.KeyUsage.ToList();
        _extendedKeyUsages = template.ExtendedKeyUsage.Where(knownExtended.Contains).ToList();
        // Dotted OIDs have no chip; they stay editable as text so that saving keeps them.
        _otherOids = string.Join(", ", template.ExtendedKeyUsage.Where(e => !knownExtended.Contains(e)));
        _namesFromRequest = template.SubjectSource == SubjectSources.Csr;
        _allowedRdns = string.Join(",", template.AllowedRdns);
        _sanTypes = template.SanTypes.ToList();
        _dnsPatterns = string.Join(" ", template.DnsPatterns);
        _emailPatterns = string.Join(" ", template.EmailPatterns);
        _maxSans = template.MaxSans;
        _staffOnly = template.StaffOnly;
        _commonName = template.SubjectCommonName;
        _ownerEmailSan = template.OwnerEmailSan;
        _addEmail = template.SubjectComponents.Contains(SubjectComposer.Email);
        _addRealm = template.SubjectComponents.Contains(SubjectComposer.Realm);
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
            var request = new TemplateRequest(_name?.Trim() ?? "", _validityDays!.Value)
            {
                KeyUsage = string.Join(",", _keyUsages),
                ExtendedKeyUsage = string.Join(",", _extendedKeyUsages.Concat(CertificateVocabulary.SplitList(_otherOids))),
                SubjectSource = _namesFromRequest ? SubjectSources.Csr : SubjectSources.Owner,
                // With names from the owner the request's rules do not apply; they are saved empty.
                AllowedRdns = _namesFromRequest ? _allowedRdns ?? "" : "",
                SanTypes = _namesFromRequest ? string.Join(",", _sanTypes) : "",
                DnsPatterns = _namesFromRequest ? _dnsPatterns : "",
                EmailPatterns = _namesFromRequest ? _emailPatterns : "",
                MaxSans = _maxSans,
                StaffOnly = _staffOnly,
                SubjectCommonName = _commonName,
                OwnerEmailSan = _ownerEmailSan,
                SubjectComponents = string.Join(",", new[] { (_addEmail, SubjectComposer.Email), (_addRealm, SubjectComposer.Realm) }
                    .Where(c => c.Item1).Select(c => c.Item2)),
                MakeDefault = _makeDefault,
            };
            var result = await SetTemplate.ExecuteAsync(await Session.GetActorAsync(), CaName, _renewal.ApplyTo(request));
            if (result.TryGetValue(out var template, out var error))
            {
                Snackbar.ShowSuccess($"Template {template.Name} of {CaName} saved.");
                Dialog.Close(DialogResult.Ok(template.Name));
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
