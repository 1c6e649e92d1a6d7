# Login protection and passwords (security issue)
problem-throttled-title = Too many login attempts
problem-throttled-detail = Too many login attempts from here or for this name. Wait { $seconds } seconds and try again.
problem-busy-title = The server is busy
problem-busy-detail = The server is busy checking other passwords. Please try again in a moment.
error-password-demo = This is the published demo password; it cannot be used for a real account
