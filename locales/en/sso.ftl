## Single sign-on through the organisation's identity provider (OpenID Connect)

nav-sso = Single sign-on
sso-heading = Or sign in with your organisation's account
sso-sign-in-with = Sign in with { $provider }
sso-failed = Single sign-on did not complete. Try again, or ask your administrator whether your account is set up for it.
sso-password-disabled = Your organisation signs in through its own accounts: use the single sign-on button below.
sso-title = Single sign-on (OpenID Connect)
sso-intro = Let workers sign in with the organisation's identity provider (Keycloak, Azure AD, Google Workspace …). Each Karuna account is linked at its first single sign-on to the provider's account whose username (or verified e-mail) is the Karuna username; roles stay as set in Karuna. Two-step verification still applies to accounts that have it.
sso-redirect-help = Allow this redirect address at the provider:
sso-issuer = Issuer address (issuer URL)
sso-client-id = Client ID
sso-client-secret = Client secret
sso-secret-kept = Stored — leave empty to keep it
sso-label = Words on the sign-in button
sso-base-url = Karuna's address as users open it (e.g. https://karuna.example.go.th)
sso-enabled = Offer single sign-on on the login page
sso-passwords-allowed = Workers may still sign in with a Karuna password (administrators always may)
sso-saved = The single sign-on settings have been saved.
error-sso-url-invalid = An https:// address (http:// only for localhost)
problem-sso-failed-title = Single sign-on failed
problem-sso-failed-detail = The identity provider's answer could not be used to sign in.
problem-password-login-disabled-title = Sign in through your organisation
problem-password-login-disabled-detail = This organisation signs in through its identity provider.
audit-action-sso-configure = Single sign-on settings changed
audit-action-auth-sso = Single sign-on
audit-action-auth-sso-link = Account linked to the identity provider
