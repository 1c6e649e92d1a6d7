# Login protection and passwords (security issue)
problem-throttled-title = Too many login attempts
problem-throttled-detail = Too many login attempts from here or for this name. Wait { $seconds } seconds and try again.
problem-busy-title = The server is busy
problem-busy-detail = The server is busy checking other passwords. Please try again in a moment.
error-password-demo = This is the published demo password; it cannot be used for a real account

## One's own sessions (the profile page)
profile-sessions = Where you are signed in
profile-sessions-help = Each browser you signed in on. If you used a shared computer or lost a device, sign it out here; signing out everywhere else keeps only this browser signed in.
profile-session-device = Browser and system
profile-session-device-unknown = Unknown browser
profile-session-signed-in = Signed in
profile-session-last-seen = Last used
profile-session-until = Ends at the latest
profile-session-action = Sign out
profile-session-this = This browser
profile-session-sign-out = Sign out
profile-sign-out-everywhere = Sign out everywhere else
profile-session-signed-out = That session is signed out.
profile-signed-out-everywhere = Signed out everywhere else.
audit-action-auth-sign-out-session = A session signed out by its owner
audit-action-auth-sign-out-everywhere = Signed out everywhere else
