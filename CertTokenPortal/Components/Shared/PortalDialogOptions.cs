using MudBlazor;

namespace CertTokenPortal.Components.Shared;

/// <summary>The two kinds of dialog the portal opens, so every page shows them the same way.</summary>
public static class PortalDialogOptions
{
    /// <summary>
    /// A dialog with fields to fill. A click beside it does not close it: what was typed would be lost without a
    /// word. Cancel, the close button and Escape still close it.
    /// </summary>
    public static DialogOptions Form(MaxWidth width = MaxWidth.Small) =>
        new() { MaxWidth = width, FullWidth = true, CloseButton = true, BackdropClick = false };

    /// <summary>A yes/no question; a click beside it means no.</summary>
    public static DialogOptions Question => new() { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true };
}
