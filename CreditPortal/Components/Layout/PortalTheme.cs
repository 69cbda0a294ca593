using MudBlazor;

namespace CreditPortal.Components.Layout;

/// <summary>
/// The portal's brand as a MudTheme: every colour, size and radius a page uses comes from here (pages use
/// MudBlazor's <c>Color</c>/<c>Typo</c> values and utility classes, never their own colours). Every text
/// colour is at least 4.5:1 against the surface it sits on, in both palettes (WCAG 2.1 AA; the browser
/// tests run axe on the pages), which is why Success and Warning are darker than MudBlazor's defaults.
/// </summary>
public static class PortalTheme
{
    private static readonly string[] Fonts = ["Roboto", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1F4E8C",
            PrimaryContrastText = "#FFFFFF",
            Secondary = "#00796B",
            SecondaryContrastText = "#FFFFFF",
            Tertiary = "#6A3FA0",
            Info = "#1565C0",
            Success = "#2E7D32",
            Warning = "#8A5300",
            WarningContrastText = "#FFFFFF",
            Error = "#C62828",
            Background = "#F5F7FA",
            Surface = "#FFFFFF",
            AppbarBackground = "#1F4E8C",
            AppbarText = "#FFFFFF",
            DrawerBackground = "#FFFFFF",
            DrawerText = "rgba(0,0,0,0.87)",
            DrawerIcon = "#1F4E8C",
            TextSecondary = "#5F6368",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8AB4F8",
            PrimaryContrastText = "#0B1A33",
            Secondary = "#4DB6AC",
            SecondaryContrastText = "#0B1A33",
            Tertiary = "#B39DDB",
            TertiaryContrastText = "#0B1A33",
            Info = "#8AB4F8",
            InfoContrastText = "#0B1A33",
            Success = "#81C995",
            SuccessContrastText = "#0B1A33",
            Warning = "#FDD663",
            WarningContrastText = "#0B1A33",
            Error = "#F28B82",
            ErrorContrastText = "#0B1A33",
            Background = "#121826",
            Surface = "#1B2333",
            AppbarBackground = "#1B2333",
            AppbarText = "#E6E9EF",
            DrawerBackground = "#1B2333",
            DrawerText = "#E6E9EF",
            DrawerIcon = "#8AB4F8",
            TextPrimary = "#E6E9EF",
            TextSecondary = "#AAB2C0",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            // Page titles are h1, card titles h2, sections inside a card h3: semantic levels at portal sizes.
            H1 = new H1Typography { FontFamily = Fonts, FontSize = "1.75rem", FontWeight = "500", LineHeight = "1.3", LetterSpacing = "0" },
            H2 = new H2Typography { FontFamily = Fonts, FontSize = "1.3rem", FontWeight = "500", LineHeight = "1.35", LetterSpacing = "0" },
            H3 = new H3Typography { FontFamily = Fonts, FontSize = "1.05rem", FontWeight = "500", LineHeight = "1.4", LetterSpacing = "0" },
            H4 = new H4Typography { FontFamily = Fonts, FontSize = "1rem", FontWeight = "500", LineHeight = "1.4", LetterSpacing = "0" },
            // Buttons say what they do in the sentence case the rest of the portal uses (Get Sendings, Details).
            Button = new ButtonTypography { FontFamily = Fonts, FontWeight = "500", TextTransform = "none", LetterSpacing = "0.01em" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "6px",
            DrawerWidthLeft = "232px",
        },
    };
}
