package kb

// clientEntries: what applications, mail libraries, the operating system, TLS libraries and devices say when they wrap or replace the server's reply (texts without an SMTP code).
var clientEntries = []entry{}
