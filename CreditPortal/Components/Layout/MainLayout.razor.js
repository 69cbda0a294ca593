// Remembers the light/dark choice for a year (ThemePreference.cs); the server reads it at the next prerender.
export function rememberTheme(name, value) {
    document.cookie = `${encodeURIComponent(name)}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
}

// Submits a server form (logout) the way its own submit button would, so the browser follows the redirect.
export function submitForm(id) {
    document.getElementById(id)?.requestSubmit();
}
