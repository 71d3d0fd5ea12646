using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Components.Pages.Enrol;

/// <summary>
/// The enrolment wizard, for staff on behalf of a user and for users themselves. Each step says what is missing
/// before the next one opens; Core checks everything again on submit and its refusal is shown on the review step.
/// </summary>
public partial class Enrol : IDisposable
{
    private MudStepper? _stepper;
    private int _step;
    private Actor? _actor;
    private IReadOnlyList<CaConnectorInfo> _cas = [];
    private EnrolmentDraft _draft = new();
    private UserSummary? _presetOwner;
    private (int Step, string Problem)? _problem;
    private bool _submitting;
    private EnrolmentResult? _result;
    private IReadOnlyList<string> _policyHints = [];
    private EnrolmentPreview? _preview;
    /// <summary>Why enrolment would be refused as it stands (quota, CA, template, upload...): Enrol stays off and says so.</summary>
    private PortalError? _refusal;

    [Inject] private EnrolTokenCommand Enrolment { get; set; } = default!;
    [Inject] private ListEnrolmentCasQuery EnrolmentCas { get; set; } = default!;
    [Inject] private EnrolmentPreviewQuery Preview { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private Hosting.EnrolmentRateLimiter RateLimiter { get; set; } = default!;
    [Inject] private IOptions<DefaultCaOptions> DefaultCa { get; set; } = default!;
    [Inject] private FindUserQuery FindUser { get; set; } = default!;

    /// <summary>"Enrol for this user" (user page, Users page) opens <c>/enrol?user=alice&amp;realm=default</c>: staff skip the owner step.</summary>
    [SupplyParameterFromQuery(Name = "user")] public string? UserFromAddress { get; set; }

    [SupplyParameterFromQuery(Name = "realm")] public string? RealmFromAddress { get; set; }

    private IReadOnlyList<WizardStep> Steps => _draft.Steps(_actor!);

    private int ReviewIndex => Steps.Count - 1;

    private WizardStep CurrentStep => Steps[Math.Clamp(_step, 0, Steps.Count - 1)];

    private string ProgressText => _draft.Method == EnrolmentMethod.GenerateKey
        ? $"Generating the {_draft.KeyDescription} key and asking the CA to sign…"
        : _draft.NeedsCa ? "Asking the CA to sign…" : "Saving the certificate…";

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        _cas = (await EnrolmentCas.ExecuteAsync(_actor)).Value;
        _draft = EnrolmentDraft.For(_actor);
        await PresetOwnerAsync();
        PresetCa();
    }

    /// <summary>The owner named in the address, looked up as the user page does; an unknown one is said, and asked for.</summary>
    private async Task PresetOwnerAsync()
    {
        if (string.IsNullOrWhiteSpace(UserFromAddress) || !_actor!.Allows(Permission.EnrolForOthers))
        {
            return;
        }
        if (_presetOwner is null)
        {
            var found = await FindUser.ExecuteAsync(_actor!, UserFromAddress, RealmFromAddress);
            if (!found.TryGetValue(out _presetOwner, out var error))
            {
                Snackbar.ShowError(error);
                return;
            }
        }
        _draft.PresetOwner(_presetOwner);
    }

    /// <summary>The configured default CA (or the only one) with its default template: most enrolments keep both.</summary>
    private void PresetCa() =>
        _draft.ChooseCa(_cas.FirstOrDefault(c => c.Name == DefaultCa.Value.Name) ?? _cas.FirstOrDefault());

    private bool HasError(int step) => _problem?.Step == step;

    private void DraftChanged()
    {
        // A shown problem follows the input (gone once fixed); a new one shows only on the next "Next".
        if (_problem is { } shown)
        {
            var still = _draft.FirstProblemBefore(shown.Step + 1, _actor!, _cas);
            _problem = still?.Step == shown.Step ? still : null;
        }
    }

    private async Task NextAsync()
    {
        if (_stepper is not null && Check(_step + 1))
        {
            if (_step + 1 == ReviewIndex)
            {
                await LoadPolicyHintsAsync();
            }
            await _stepper.NextStepAsync();
        }
    }

    private async Task BackAsync()
    {
        _problem = null;
        if (_stepper is not null)
        {
            await _stepper.PreviousStepAsync();
        }
    }

    /// <summary>
    /// Before submitting, says what the policies decide for this enrolment: the owner's tokens against the quota, the
    /// CA (and whether someone must approve), the policies in force, and, when one would refuse, why.
    /// </summary>
    private async Task LoadPolicyHintsAsync()
    {
        var preview = await Preview.ExecuteAsync(_actor!, _draft.ToRequest());
        _preview = preview.IsSuccess ? preview.Value : null;
        _refusal = preview.IsSuccess ? preview.Value.Refusal : preview.Error;
        _policyHints = _preview?.PolicyHints ?? [];
    }

    /// <summary>The CA a policy requires when the draft names another one (often just the preset default) and the portal has it.</summary>
    private string? OfferedCa => _preview?.RequiredCa is { } required && _draft.NeedsCa && required != _draft.CaName &&
                                 _cas.Any(c => c.Name == required) ? required : null;

    private async Task UseCaAsync(string caName)
    {
        _draft.ChooseCa(_cas.FirstOrDefault(c => c.Name == caName));
        await LoadPolicyHintsAsync();
    }

    /// <summary>Clicks on a later step title are held to the same checks as the Next button.</summary>
    private Task PreviewStepAsync(StepperInteractionEventArgs args)
    {
        if (args.Action == StepAction.Activate && args.StepIndex > _step && !Check(args.StepIndex))
        {
            args.Cancel = true;
            return Task.CompletedTask;
        }
        return args.Action == StepAction.Activate && args.StepIndex == ReviewIndex ? LoadPolicyHintsAsync() : Task.CompletedTask;
    }

    /// <summary>Whether every step before <paramref name="target"/> is complete; shows the first gap otherwise.</summary>
    private bool Check(int target)
    {
        _problem = _draft.FirstProblemBefore(target, _actor!, _cas);
        return _problem is null;
    }

    private async Task SubmitAsync()
    {
        if (_submitting || _refusal is not null || !Check(ReviewIndex))
        {
            return;
        }
        if (RateLimiter.TryAcquire(_actor!) is { } refused)
        {
            Snackbar.ShowError(refused.Error);
            return;
        }
        _submitting = true;
        StateHasChanged();
        try
        {
            var actor = _actor!;
            var request = _draft.ToRequest();
            // Key generation and signing are CPU work (RSA 4096 takes seconds): on the thread pool the circuit stays
            // responsive and the progress bar moves. Not cancelled when the person leaves: a started enrolment finishes.
            var result = await Task.Run(() => Enrolment.ExecuteAsync(actor, request));
            if (result.TryGetValue(out var enrolled, out var error))
            {
                _result = enrolled;
            }
            else
            {
                Snackbar.ShowError(error);
            }
        }
        finally
        {
            _submitting = false;
        }
    }

    private async Task StartAgainAsync()
    {
        Forget(_result);
        _result = null;
        _draft = EnrolmentDraft.For(_actor!);
        _problem = null;
        (_preview, _refusal, _policyHints) = (null, null, []);
        _step = 0;
        await PresetOwnerAsync();
        PresetCa();
    }

    public void Dispose() => Forget(_result);

    /// <summary>Wipes the fresh PKCS#12 from memory when it is no longer offered (it is encrypted, but still the key).</summary>
    private static void Forget(EnrolmentResult? result)
    {
        if (result?.Pkcs12 is { } pkcs12)
        {
            Array.Clear(pkcs12);
        }
    }
}
