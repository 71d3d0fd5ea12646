using MudBlazor;

namespace CertTokenPortal.Components.Shared;

/// <summary>The two kinds of dialog the portal opens, so every page shows them the same way.</summary>
/// <remarks>
/// Each dialog sets <c>DefaultFocus="DefaultFocus.FirstChild"</c> on its <c>MudDialog</c> (the option here is not
/// what MudBlazor reads): the focus goes to the first field, or Cancel for a question, not to an invisible element
/// of the dialog's frame, so typing lands in a field at once. There is no close icon in the title for that reason:
/// it would be the first focusable element. Cancel and Escape close every dialog.
/// </remarks>
public static class PortalDialogOptions
{
    /// <summary>
    /// A dialog with fields to fill. A click beside it does not close it: what was typed would be lost without a
    /// word. Cancel and Escape close it.
    /// </summary>
    public static DialogOptions Form(MaxWidth width = MaxWidth.Small) => new()
    {
        MaxWidth = width,
        FullWidth = true,
        BackdropClick = false,
        CloseOnEscapeKey = true,
    };

    /// <summary>A yes/no question; a click beside it or Escape means no.</summary>
    public static DialogOptions Question => new()
    {
        MaxWidth = MaxWidth.ExtraSmall,
        FullWidth = true,
        CloseOnEscapeKey = true,
    };
}
