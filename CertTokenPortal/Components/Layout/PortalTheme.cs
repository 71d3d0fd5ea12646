using MudBlazor;

namespace CertTokenPortal.Components.Layout;

/// <summary>The portal's colours, shared by the main and the login layout.</summary>
/// <remarks>
/// Every colour that carries text meets WCAG AA (4.5:1), in both themes. Ratios (WCAG 2 relative luminance),
/// computed for the colour as text on the page and for its contrast text on a filled chip or button:
/// <code>
/// light, on white #ffffff (filled: white text on the colour)
///   primary   #1565c0  5.75    secondary #00796b 5.32 (MudBlazor's #00897b: 4.32)
///   success   #2e7d32  5.13    (MudBlazor's #00c853: 2.24)
///   error     #c62828  5.62    (MudBlazor's #f44336: 3.68)
///   warning   #b45309  5.02    (MudBlazor's #ff9800: 2.16)
///   info      #0277bd  4.80    (MudBlazor's #2196f3: 3.12)
///   secondary text #6b6b6b 5.33 (MudBlazor's 54% black: 4.61)
/// dark, on background #32333d / surface #373740; filled: #1e1e1e text on the colour
///   primary   #64b5f6  5.66 / 5.32, filled 7.53 (white text would be 2.21)
///   secondary #4db6ac  5.13 / 4.82, filled 6.83
///   success   #66bb6a  5.30 / 4.98, filled 7.05
///   error     #ff8a80  5.49 / 5.16, filled 7.30
///   warning   #ffb74d  7.24 / 6.80, filled 9.63
///   info      #90caf9  7.16 / 6.73, filled 9.53
///   secondary text #adadb1 (60% white) 5.27 on the surface (MudBlazor's 50%: 4.14)
///   alert text (the "darken" shades) success #81c784 5.85, error #ffa39b 6.15, warning #ffc77a 7.69, info #a6d4fa 7.53 on the surface
/// </code>
/// </remarks>
internal static class PortalTheme
{
    private const string DarkContrastText = "#1e1e1e";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#00796b",
            AppbarBackground = "#0d47a1",
            Success = "#2e7d32",
            Error = "#c62828",
            Warning = "#b45309",
            Info = "#0277bd",
            SuccessContrastText = "#ffffff",
            ErrorContrastText = "#ffffff",
            WarningContrastText = "#ffffff",
            InfoContrastText = "#ffffff",
            TextSecondary = "#6b6b6b",
        },
        PaletteDark = new PaletteDark
        {
            Background = "#32333d",
            Surface = "#373740",
            Primary = "#64b5f6",
            Secondary = "#4db6ac",
            Success = "#66bb6a",
            Error = "#ff8a80",
            Warning = "#ffb74d",
            Info = "#90caf9",
            PrimaryContrastText = DarkContrastText,
            SecondaryContrastText = DarkContrastText,
            SuccessContrastText = DarkContrastText,
            ErrorContrastText = DarkContrastText,
            WarningContrastText = DarkContrastText,
            InfoContrastText = DarkContrastText,
            // Alerts write their text in the "darken" shade; darker shades of these colours fall below 4.5:1 on a dark
            // page (axe found the success alert's text), so in the dark theme they are lighter tints.
            SuccessDarken = "#81c784",
            ErrorDarken = "#ffa39b",
            WarningDarken = "#ffc77a",
            InfoDarken = "#a6d4fa",
            TextSecondary = "rgba(255,255,255,0.6)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
            // Buttons keep their case: a download button names its file ("Download CRT1A2B3C4D.p12"), and upper case
            // would change the name people see.
            Button = new ButtonTypography { TextTransform = "none" },
        },
    };
}
