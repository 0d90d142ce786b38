package kb

// Documentation the client entries link to, beyond docs.go: the .NET and Windows pages that
// define the texts these entries match.
const (
	// SmtpClient supports only STARTTLS (RFC 3207); "SMTPS … port 465 … is not currently supported".
	docSmtpClientSsl = "https://learn.microsoft.com/en-us/dotnet/api/system.net.mail.smtpclient.enablessl"
	// TLS with .NET Framework: which versions a process offers, SchUseStrongCrypto, SystemDefaultTlsVersions.
	docDotNetTLS = "https://learn.microsoft.com/en-us/dotnet/framework/network-programming/tls"
	// Microsoft's list of the errors of a .NET Framework client without TLS 1.2 ("forcibly closed by the remote host").
	docTLS12Clients = "https://learn.microsoft.com/en-us/sharepoint/troubleshoot/administration/authentication-errors-tls12-support"
	// Windows Sockets error codes: 10013, 10051, 10054, 10060, 10061, 10065 and their texts.
	docWinsockErrors = "https://learn.microsoft.com/en-us/windows/win32/winsock/windows-sockets-error-codes-2"
)

// clientEntries: what applications, mail libraries, the operating system, TLS libraries and devices say when they wrap or replace the server's reply (texts without an SMTP code).
//
// These entries have no code of their own: a phrase alone matches them (alone), and they rank below
// any entry that a code in the same text finds (scoreWords), so "SMTP Error: Could not authenticate."
// around a "535 5.7.139 …" reply still gives the 5.7.139 entry. Among themselves, and after the
// probe's own entries in entries.go (port-filtered, port-refused, tls-intercepted, …) that also
// match OS and library words, the first in table order wins: specific texts come first here, the
// wrappers that say only "it failed" (PHPMailer, JavaMail, System.Net.Mail) last, so that the inner
// error of a wrapped exception names the cause.
var clientEntries = []entry{
	{
		id: "tls-mode-mismatch",
		patterns: []string{
			"wrong version number",                            // OpenSSL: Python ssl, Node, curl (35), openssl s_client
			"ssl23 get server hello unknown protocol",         // OpenSSL 1.0
			"unrecognized ssl message",                        // Java: "Unrecognized SSL message, plaintext connection?"
			"first record does not look like a tls handshake", // Go crypto/tls
			"unexpected packet format",                        // .NET SslStream: "The handshake failed due to an unexpected packet format"
		},
		alone: true,
		title: "The application started TLS at once on a port that expects STARTTLS (implicit TLS on 587 or 25)",
		cause: "There are two ways to run SMTP over TLS. With STARTTLS the session starts in plain text and the client sends STARTTLS before the TLS handshake; " +
			"with implicit TLS (SMTPS, usually port 465) the handshake comes first. Microsoft documents SMTP AUTH client submission at smtp.office365.com on port 587 " +
			"(or 25) with STARTTLS, and the MX endpoints on port 25 with STARTTLS too. This text is what a TLS library says when it opened the handshake and got the server's plain-text " +
			"greeting (220 …) instead: the application is set to 'SSL', 'SSL/TLS', secure: true, SMTP_SSL or mail.smtp.ssl.enable on a STARTTLS port. " +
			"Less often a proxy or security product on the path answers in plain text.",
		fix: []step{
			{"Set the application to STARTTLS on port 587 (smtp.office365.com) or 25 (your MX host {mx_host}), not to SSL/TLS-on-connect: Python: smtplib.SMTP(host, 587) then starttls(), not SMTP_SSL; nodemailer: secure: false, requireTLS: true; PHPMailer: SMTPSecure = 'tls' (PHPMailer::ENCRYPTION_STARTTLS); MailKit: SecureSocketOptions.StartTls; JavaMail: mail.smtp.starttls.enable=true without mail.smtp.ssl.enable; Go: plain dial then StartTLS (net/smtp.SendMail does it); a device: 'STARTTLS' or 'TLS', not 'SSL'.", ""},
			{"Check what the endpoint speaks from the same machine: exoprobe's smtp check shows the plain-text greeting and its tls check the STARTTLS handshake (--auth none tests the way to smtp.office365.com:587 without signing in); exoprobe relay does the same for port 25.", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
			{"Testing by hand, give -starttls (without it OpenSSL reports this same wrong-version error).", "openssl s_client -starttls smtp -connect smtp.office365.com:587"},
		},
		docs: []string{docSMTPAuth, docMFD, docRFC3207},
	},
	{
		id: "client-tls-version",
		patterns: []string{
			"no appropriate protocol",                      // Java: protocol is disabled or cipher suites are inappropriate
			"do not possess a common algorithm",            // Windows Schannel (.NET, MailKit)
			"alert protocol version",                       // OpenSSL: tlsv1 alert protocol version
			"remote party has closed the transport stream", // .NET SslStream: the server ended the handshake
			"ssl unsupported protocol",                     // Python: [SSL: UNSUPPORTED_PROTOCOL]
			"choose client version unsupported protocol",   // OpenSSL: ssl_choose_client_version:unsupported protocol
		},
		alone: true,
		title: "The application and the server share no TLS version: the application offers TLS 1.0/1.1 only, or its runtime refuses what it was told to use",
		cause: "Exchange Online accepts TLS 1.2 or later for SMTP AUTH client submission. These texts come from the client's TLS library before any SMTP reply: " +
			"Java's 'No appropriate protocol' means the application asked for a protocol the JVM has disabled (JDK 8u291 and later disable TLS 1.0 and 1.1; old JavaMail versions ask for them); " +
			"Windows' 'do not possess a common algorithm' and .NET's 'remote party has closed the transport stream' mean the handshake found no version or cipher both sides accept — " +
			".NET Framework applications built for 4.5 or earlier offer TLS 1.0 unless told otherwise; OpenSSL's 'alert protocol version' is the server refusing the version offered. " +
			"A device or application that cannot do TLS 1.2 gets the same refusal from Exchange Online (421 4.7.66 once TLS is up).",
		fix: []step{
			{"Java / JavaMail: set mail.smtp.ssl.protocols=TLSv1.2 (Spring: spring.mail.properties.mail.smtp.ssl.protocols=TLSv1.2) and update JavaMail (1.6 or Jakarta Mail); do not re-enable TLS 1.0 in java.security.", ""},
			{".NET Framework: target 4.7 or later, or in code ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12, or set the registry values SchUseStrongCrypto and SystemDefaultTlsVersions (DWORD 1) under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and the Wow6432Node key (as administrator, then restart the application):", "Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319' -Name SchUseStrongCrypto -Value 1 -Type DWord\nSet-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319' -Name SystemDefaultTlsVersions -Value 1 -Type DWord\nSet-ItemProperty -Path 'HKLM:\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319' -Name SchUseStrongCrypto -Value 1 -Type DWord\nSet-ItemProperty -Path 'HKLM:\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319' -Name SystemDefaultTlsVersions -Value 1 -Type DWord"},
			{"Devices and older operating systems: update the firmware or the OS so that TLS 1.2 is offered to smtp.office365.com; as a stopgap only, smtp-legacy.office365.com accepts TLS 1.0/1.1 after this setting.", "Set-TransportConfig -AllowLegacyTLSClients $true"},
			{"Confirm from the same machine that TLS 1.2 to the endpoint works (--auth none tests the way to smtp.office365.com:587 without signing in).", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docLegacyTLS, docDotNetTLS, docTLS12Clients},
	},
	{
		id: "client-cert-untrusted",
		patterns: []string{
			"pkix path building failed",               // Java
			"unable to find valid certification path", // Java
			"signed by unknown authority",             // Go: x509: certificate signed by unknown authority
			"unable to get local issuer certificate",  // OpenSSL: Python, Node, curl
			"unable to verify the first certificate",  // Node
			"certificate verify failed",               // Python: [SSL: CERTIFICATE_VERIFY_FAILED]
		},
		alone: true,
		title: "The application does not trust the server's certificate: interception on the path, or a trust store without the root",
		cause: "The TLS library of the application could not build a chain from the certificate it received to a root it trusts. Exchange Online's certificates are issued " +
			"by public certification authorities that current trust stores hold, so two causes remain: something on the path (an antivirus mail shield, a firewall or proxy with TLS " +
			"inspection) presents its own certificate, signed by a root that only the Windows certificate store knows, or the runtime's own trust store is missing or outdated. " +
			"Java (cacerts), Node.js, Python (certifi) and Go on Linux do not use the Windows certificate store, which is why a browser or Outlook on the same machine works.",
		fix: []step{
			{"See who issued the certificate the machine receives: exoprobe's tls check shows the issuer (--auth none tests the way to smtp.office365.com:587 without signing in); exoprobe relay does the same for port 25. A product name (Avast, ESET, Kaspersky, Fortinet, Zscaler …) means interception: exclude smtp.office365.com and *.mail.protection.outlook.com from its mail or TLS scanning.", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
			{"If the issuer is a public certification authority, update the runtime's root certificates: Java: update the JRE (its cacerts); Node.js: update Node, or NODE_EXTRA_CA_CERTS=<file> for a company root. Linux (Debian/Ubuntu; on RHEL, update-ca-trust):", "sudo update-ca-certificates"},
			{"Python:", "pip install --upgrade certifi"},
			{"Do not turn certificate verification off (rejectUnauthorized: false, InsecureSkipVerify, verify=False): it hides interception and exposes the credentials.", ""},
		},
		docs: []string{docM365URLs, docSMTPAuth},
	},
	{
		id: "greeting-not-received",
		patterns: []string{
			"greeting never received",                     // nodemailer
			"while receiving the initial server greeting", // Postfix: lost connection / timed out while receiving …
			"connection unexpectedly closed timed out",    // Python smtplib waiting for 220
			"get lines timed out",                         // PHPMailer: SMTP -> get_lines(): timed-out
			"eof caught while checking if connected",      // PHPMailer: closed before 220
			"failed to read smtp server greeting",         // Go mailers
		},
		alone: true,
		title: "The connection opened, but no SMTP greeting (220) came",
		cause: "TCP reached something, but no 220 greeting arrived before the client gave up, or the connection was closed first. Exchange Online greets at once on ports 25 and 587. " +
			"Common causes: the client waits in plain text on a port where the server expects a TLS handshake first (port 465 or 443 with 'secure: false' or plain smtplib.SMTP) — " +
			"Microsoft documents only ports 587 and 25 for SMTP to Exchange Online; or something on the path holds the connection (an antivirus mail shield, a firewall's SMTP proxy or inspection); " +
			"or a transparent proxy of the provider accepts port 25 and then drops it.",
		fix: []step{
			{"Use the documented endpoint and port: smtp.office365.com on 587 with STARTTLS (not 465, not 443), or your MX host {mx_host} on 25.", ""},
			{"Test from the same machine (--auth none tests the way to smtp.office365.com:587 without signing in); exoprobe relay does the same for port 25. A banner-timeout finding confirms that something on this path holds the connection, and the smtp check shows who greets.", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
			{"Turn off the SMTP/mail scanning of the security product on that machine or add an exclusion for the host, and check the firewall for SMTP proxy or inspection on the port.", ""},
		},
		docs: []string{docSMTPAuth, docMFD, docPrinters},
	},
	{
		id: "connection-dropped",
		patterns: []string{
			"net io connectionclosed",                           // System.Net.Mail
			"forcibly closed by the remote host",                // Windows 10054 WSAECONNRESET
			"connection reset by peer",                          // ECONNRESET
			"connection unexpectedly closed",                    // Python smtplib
			"smtp server has unexpectedly disconnected",         // MailKit
			"connection closed unexpectedly",                    // nodemailer
			"unable to read data from the transport connection", // .NET, when the inner error is none of the above
		},
		alone: true,
		title: "The server or something on the path closed the connection without an SMTP reply",
		cause: "The client was waiting for a reply when the connection was closed or reset. With Exchange Online the usual causes are: the client tried TLS 1.0 or 1.1 " +
			"(a .NET Framework application built for 4.5 or earlier does this; Microsoft lists 'An existing connection was forcibly closed by the remote host' among the errors of such clients); " +
			"a TLS mode the port does not expect (port 465, or SSL-on-connect on 587); a firewall's SMTP inspection that drops commands longer than it allows (an AUTH XOAUTH2 line with its token); " +
			"or an antivirus or proxy that ends the session. Exchange Online also closes a session after some refusals; the last command the client sent tells which.",
		fix: []step{
			{"Reproduce it from the same machine with a transcript, which shows the command after which the connection ends (--auth none tests the way to smtp.office365.com:587 without signing in); exoprobe relay does the same for port 25.", "exoprobe submit --auth none --from {ps:from} --to {ps:to} --transcript"},
			{"Make the application use port 587 with STARTTLS and TLS 1.2: .NET Framework: target 4.7 or later, or set SchUseStrongCrypto and SystemDefaultTlsVersions (DWORD 1) under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319; System.Net.Mail cannot use port 465.", ""},
			{"Check firewalls for SMTP/ESMTP inspection (Cisco ASA: no inspect esmtp) and security products for mail scanning on that port.", ""},
		},
		docs: []string{docTLS12Clients, docDotNetTLS, docCiscoESMTP},
	},
	{
		id:       "dotnet-timeout",
		patterns: []string{"the operation has timed out"},
		alone:    true,
		title:    "System.Net.Mail (SmtpClient, Send-MailMessage) gave up waiting: 'The operation has timed out'",
		cause: "SmtpClient waits Timeout milliseconds (100 seconds by default) for the whole send. With Exchange Online this is most often port 465 with EnableSsl: SmtpClient supports " +
			"only STARTTLS, not SMTPS on port 465 (Microsoft's EnableSsl documentation), so it waits for a greeting that never comes. Other causes: the port is blocked on the way " +
			"(the connection never opens), a security product holds the connection, or a very large message on a slow link.",
		fix: []step{
			{"Use port 587 with EnableSsl = $true (Send-MailMessage -SmtpServer smtp.office365.com -Port 587 -UseSsl), never 465.", ""},
			{"Tell a blocked port (exoprobe's port-filtered finding) from a held connection (banner-timeout) on the same machine with exoprobe (--auth none tests the way to smtp.office365.com:587 without signing in), or in PowerShell alone:", "exoprobe submit --auth none --from {ps:from} --to {ps:to}\nTest-NetConnection smtp.office365.com -Port 587"},
			{"For large attachments raise SmtpClient.Timeout; Exchange Online accepts messages up to the mailbox's MaxSendSize.", ""},
		},
		docs: []string{docSmtpClientSsl, docSMTPAuth},
	},
	{
		id:       "mailkit-ssl-handshake",
		patterns: []string{"an error occurred while attempting to establish an ssl or tls connection"},
		alone:    true,
		title:    "MailKit could not establish TLS (SslHandshakeException)",
		cause: "MailKit's SslHandshakeException lists the possible causes itself: a port that does not start with TLS (Connect(host, 587, true) asks for SSL-on-connect, " +
			"but port 587 expects STARTTLS), a certificate the system does not trust (interception by security software, a missing root), a revocation server (CRL/OCSP) " +
			"that cannot be reached, or no TLS version both sides support. Its inner exception says which.",
		fix: []step{
			{"Connect with STARTTLS: client.Connect(\"smtp.office365.com\", 587, SecureSocketOptions.StartTls) — not useSsl: true, not SecureSocketOptions.SslOnConnect.", ""},
			{"If the inner exception speaks of the certificate or revocation: run exoprobe on that machine and read the issuer in its tls check (--auth none tests the way to smtp.office365.com:587 without signing in); allow the CRL/OCSP addresses of the certificate through the proxy or firewall rather than setting CheckCertificateRevocation = false.", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
			{"If it says the client and server cannot communicate, enable TLS 1.2 for the process (.NET Framework 4.7 or later, or SchUseStrongCrypto).", ""},
		},
		docs: []string{docSMTPAuth, docDotNetTLS},
	},
	{
		id:       "client-auth-failed",
		patterns: []string{"smtp error could not authenticate", "login denied"},
		alone:    true,
		title:    "The application could not sign in to the SMTP server (PHPMailer 'Could not authenticate', curl (67) 'Login denied')",
		cause: "The library reports only that AUTH failed; the server's reply in its debug output names the reason (with Exchange Online: 535 5.7.3 wrong credentials or a refused token, " +
			"5.7.139 SMTP AUTH disabled or blocked by security defaults or policy). If the debug output shows no AUTH at all, the client never got that far: " +
			"Exchange Online offers AUTH only after STARTTLS, and the MX hosts on port 25 offer none.",
		fix: []step{
			{"Turn on the library's debug output (PHPMailer: SMTPDebug = 2; curl: -v) and paste the server's reply into exoprobe explain, or sign in the same way with exoprobe (--auth basic asks for the password).", "exoprobe submit --auth basic --user {ps:mailbox|from} --from {ps:from} --to {ps:to}"},
			{"Check that SMTP AUTH is allowed.", "Get-CASMailbox -Identity {ps:mailbox|from} | Format-List SmtpClientAuthenticationDisabled\nGet-TransportConfig | Format-List SmtpClientAuthenticationDisabled"},
			{"With security defaults on, or after basic authentication was switched off, a password cannot sign in: use OAuth, or relay through a connector (exoprobe relay checks it). exoprobe tests OAuth:", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docSMTPAuth, docOAuth, docBlogBasicAuth},
	},
	{
		id:       "phpmailer-connect-failed",
		patterns: []string{"smtp connect failed", "smtp error could not connect to smtp host", "smtp server error failed to connect to server"},
		alone:    true,
		title:    "PHPMailer could not connect or start TLS ('SMTP connect() failed', 'Could not connect to SMTP host')",
		cause: "PHPMailer says this when the TCP connection, the greeting or the STARTTLS handshake failed; the line before it in the debug output says which. " +
			"Right after '220 2.0.0 SMTP server ready' (the reply to STARTTLS) it means PHP's OpenSSL could not complete TLS: an OpenSSL without TLS 1.2, a CA bundle that cannot verify the certificate, " +
			"or interception. A failure to open the connection is a blocked port or wrong host (hosting providers often block outbound SMTP).",
		fix: []step{
			{"Set SMTPDebug = 2 (SMTP::DEBUG_SERVER) and read the line before the error; paste it into exoprobe explain.", "exoprobe explain '<the line before the error>'"},
			{"Use Host = 'smtp.office365.com', Port = 587, SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS ('tls'); not 'ssl', not port 465.", ""},
			{"Run exoprobe on the web server itself (--auth none tests the way to smtp.office365.com:587 without signing in): it tells a blocked port from a TLS failure and shows the certificate's issuer; on shared hosting ask the provider whether outbound SMTP is blocked.", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docSMTPAuth, docMFD},
	},
	{
		id:       "javamail-connect-failed",
		patterns: []string{"could not connect to smtp host"},
		alone:    true,
		title:    "JavaMail could not connect to the SMTP host",
		cause: "JavaMail's MessagingException 'Could not connect to SMTP host: <host>, port: <port>' wraps the real error, which follows as 'nested exception is: …' " +
			"(a timeout, a refusal, a TLS error). 'response: -1' means the connection closed before any reply — typically SSL settings that do not match the port " +
			"(mail.smtp.ssl.enable on 587, or no SSL on 465).",
		fix: []step{
			{"Read the nested exception (mail.debug=true prints the conversation) and paste it into exoprobe explain.", "exoprobe explain '<the nested exception>'"},
			{"For Exchange Online use mail.smtp.host=smtp.office365.com, mail.smtp.port=587, mail.smtp.starttls.enable=true, mail.smtp.starttls.required=true, mail.smtp.ssl.protocols=TLSv1.2, without mail.smtp.ssl.enable.", ""},
			{"Run exoprobe on the same machine to see whether the port is reachable and TLS works there (--auth none tests the way to smtp.office365.com:587 without signing in).", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docSMTPAuth, docMFD},
	},
	{
		id:       "dotnet-smtp-failed",
		patterns: []string{"failure sending mail", "fehler beim senden von mail", "unable to connect to the remote server"},
		alone:    true,
		title:    "System.Net.Mail (SmtpClient, Send-MailMessage) failed; the inner exception says why",
		cause: "'Failure sending mail' (German: 'Fehler beim Senden von Mail') and 'Unable to connect to the remote server' are the outer messages of .NET's SmtpException and WebException; " +
			"the cause is in the inner exception: a timeout (10060), a refusal (10061), a closed connection (net_io_connectionclosed, 10054) or a TLS error. " +
			"With Exchange Online the usual ones are port 465 (SmtpClient supports only STARTTLS), TLS 1.2 not enabled in an old .NET Framework application, and a blocked port.",
		fix: []step{
			{"Get the inner exception, and paste it into exoprobe explain; in code log ex.ToString(), not ex.Message. In PowerShell, the whole chain:", "$Error[0].Exception.ToString()"},
			{"Use port 587 with EnableSsl = true (Send-MailMessage -Port 587 -UseSsl), and TLS 1.2 (.NET Framework 4.7 or later, or SchUseStrongCrypto).", ""},
			{"Run exoprobe on the same machine (--auth none tests the way to smtp.office365.com:587 without signing in): it tells a blocked or refused port, a TLS failure and a sign-in failure apart.", "exoprobe submit --auth none --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docSmtpClientSsl, docDotNetTLS, docSMTPAuth},
	},
}
