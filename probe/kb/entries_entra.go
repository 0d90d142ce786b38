package kb

// entraEntries: Entra ID (AADSTS) errors a client-credentials, certificate or password sign-in for SMTP meets, not already in entries.go.
var entraEntries = []entry{}
