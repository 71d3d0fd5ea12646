using System.Security.Claims;
using Bunit;
using Bunit.Rendering;
using Bunit.TestDoubles;
using CertTokenPortal.Authentication;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Hosting;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace CertTokenPortal.Tests.Components;

/// <summary>
/// The shared base of the component tests: a bUnit context with MudBlazor's services, loose JS interop, the portal's
/// real authorization policies and a login in a chosen role; optionally the real Core services on a throw-away
/// database. The context is a field, not the base class: MudBlazor registers services that can only be disposed
/// asynchronously, which xunit's <see cref="IAsyncLifetime"/> gives us.
/// </summary>
/// <remarks>
/// Render with <see cref="RenderWithProviders{T}"/> when the component opens popovers, dialogs or snackbars: they
/// appear in the providers' markup, which is then part of what the test can <c>Find</c>. Re-<c>Find</c> elements after
/// every interaction; a found element is a snapshot of one render.
/// </remarks>
public abstract class PortalComponentTest : IAsyncLifetime
{
    private readonly BunitAuthorizationContext _authorization;
    private CoreServices? _core;
    private AsyncServiceScope? _coreScope;

    protected PortalComponentTest()
    {
        Context = new BunitContext();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices(o =>
        {
            // No show/hide animations: a snackbar is in the markup as soon as it is added.
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Context.Services.AddScoped<PortalSession>();
        Context.Services.AddSingleton(new CertTokenPortal.Hosting.EnrolmentRateLimiter(Options.Create(new CertTokenPortal.Hosting.RateLimitSettings { Enabled = false })));
        // MudBlazor registers the options system in bUnit's container, so options would never reach the Core
        // fallback: forward the portal's own options to Core when it runs, else use the defaults.
        Context.Services.AddSingleton(_ => _core?.Get<IOptions<PortalOptions>>() ?? Options.Create(new PortalOptions()));

        // bUnit's fake authorization answers policies from a list; the portal's real policies (and the real
        // authorization service that evaluates them against the roles) replace it, so tests see what users see.
        _authorization = Context.AddAuthorization();
        Context.Services.AddAuthorizationCore(o => o.AddPortalPolicies());
        Context.Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Context.Services.AddTransient<IAuthorizationService, DefaultAuthorizationService>();

        // As in a live circuit (the layouts render the #circuit-ready marker only then). This builds the service
        // provider, so it comes after every registration.
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected BunitContext Context { get; }

    /// <summary>The Core services behind the components, once <see cref="UseCoreAsync"/> has started them.</summary>
    protected CoreServices Core => _core ?? throw new InvalidOperationException("Call UseCoreAsync() first.");

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        if (_coreScope is { } scope)
        {
            await scope.DisposeAsync();
        }
        if (_core is not null)
        {
            await _core.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts the real Core services (migrated, seeded SQLite in a temp folder) and lets the components resolve
    /// every service bUnit does not have from them, within one DI scope per test (like one circuit).
    /// <paramref name="configure"/> may add to Core's services (e.g. a database interceptor).
    /// </summary>
    protected async Task<CoreServices> UseCoreAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        _core = await CoreServices.StartAsync(settings, configure);
        var scope = _core.Services.CreateAsyncScope();
        _coreScope = scope;
        Context.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        return _core;
    }

    /// <summary>Logs in as <paramref name="userName"/> with <paramref name="role"/>; returns the actor pages will see.</summary>
    protected Actor LogInAs(string role, string? userName = null, string realm = "default")
    {
        var name = userName ?? role switch
        {
            PortalRoles.Admin => "admin",
            PortalRoles.Helpdesk => "helen",
            _ => "ulla",
        };
        _authorization.SetAuthorized(name).SetRoles(role).SetClaims(new Claim(PortalClaims.Realm, realm));
        return new Actor(name, realm, role, null);
    }

    /// <summary>Leaves the login undecided, as while a circuit authenticates: pages stay in their loading state.</summary>
    protected void LogInPending() => _authorization.SetAuthorizing();

    /// <summary>
    /// Renders <typeparamref name="T"/> after MudBlazor's popover, dialog and snackbar providers, in one tree, so that
    /// menus, dialogs and messages the component opens can be found in the returned markup.
    /// </summary>
    protected IRenderedComponent<ContainerFragment> RenderWithProviders<T>(IReadOnlyDictionary<string, object?>? parameters = null)
        where T : IComponent =>
        Context.Render(tree =>
        {
            tree.OpenComponent<MudPopoverProvider>(0);
            tree.CloseComponent();
            tree.OpenComponent<MudDialogProvider>(1);
            tree.CloseComponent();
            tree.OpenComponent<MudSnackbarProvider>(2);
            tree.CloseComponent();
            tree.OpenComponent<T>(3);
            foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
            {
                tree.AddComponentParameter(4, name, value);
            }
            tree.CloseComponent();
        });

    /// <summary>
    /// Renders the providers and opens <typeparamref name="TDialog"/> the way the pages do, with
    /// <paramref name="options"/>; returns the markup to find the dialog in and the dialog's reference.
    /// </summary>
    protected async Task<(IRenderedComponent<ContainerFragment> Cut, IDialogReference Dialog)> ShowDialogAsync<TDialog>(
        DialogParameters parameters, DialogOptions options) where TDialog : IComponent
    {
        var cut = Context.Render(tree =>
        {
            tree.OpenComponent<MudPopoverProvider>(0);
            tree.CloseComponent();
            tree.OpenComponent<MudDialogProvider>(1);
            tree.CloseComponent();
            tree.OpenComponent<MudSnackbarProvider>(2);
            tree.CloseComponent();
        });
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await cut.InvokeAsync(async () => reference = await dialogs.ShowAsync<TDialog>("Dialog", parameters, options));
        cut.WaitForElement(".mud-dialog", TimeSpan.FromSeconds(10));
        return (cut, reference!);
    }

    /// <summary>
    /// Presses Escape as a browser reports it: MudBlazor's key interceptor (JavaScript there) dispatches the key to the
    /// element that listens for it, here the open dialog's container.
    /// </summary>
    protected async Task PressEscapeAsync(IRenderedComponent<ContainerFragment> cut)
    {
        var keys = Context.Services.GetRequiredService<IKeyInterceptorService>();
        var escape = new KeyboardEventArgs { Key = "Escape", Code = "Escape", Type = "keydown" };
        foreach (var id in cut.FindAll("[id]").Select(e => e.Id!).ToList())
        {
            await cut.InvokeAsync(() => keys.DispatchAsync(id, KeyEventKind.Down, escape));
        }
    }
}
