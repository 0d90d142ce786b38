package inventory

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseXMLConfig reads a .NET configuration file (web.config, applicationHost.config,
// app.exe.config, machine.config) or Reporting Services' rsreportserver.config:
//
//   - <system.net><mailSettings><smtp deliveryMethod="Network"><network host= port= userName=
//     password= defaultCredentials= enableSsl=/>, the settings System.Net.Mail's SmtpClient
//     reads (IIS Manager's "SMTP E-mail" writes them), also inside <location> elements;
//   - <appSettings><add key= value=/>, where applications keep their own SMTP settings
//     (SmtpServer, SmtpUser, SmtpPassword...), read as key-value settings;
//   - in rsreportserver.config, <RSEmailDPConfiguration>: SMTPServer, SMTPServerPort,
//     SMTPAuthenticate (0 none, 1 basic with SendUserName and SendPassword, 2 NTLM), as
//     "Configure a report server for e-mail delivery" documents them.
//
// A section encrypted with protected configuration (aspnet_regiis -pef, the
// configProtectionProvider attribute) holds no readable settings: encrypted says which, and
// where. Rows found before a syntax error are kept, and the error is returned.
func parseXMLConfig(path string, f Format, data []byte) (rows []Row, encrypted []string, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // names and hosts are ASCII
	var (
		stack    []string
		settings []kv // appSettings, and the elements of RSEmailDPConfiguration
		text     strings.Builder
		textLine int
	)
	lineOf := func(offset int64) int { return 1 + bytes.Count(data[:min(int(offset), len(data))], []byte("\n")) }
	for {
		offset := d.InputOffset()
		var tok xml.Token
		tok, err = d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			stack = append(stack, name)
			text.Reset()
			textLine = lineOf(offset)
			if provider := attr(t, "configProtectionProvider"); provider != "" && (name == "appsettings" || name == "smtp" && under(stack, "mailsettings")) {
				encrypted = append(encrypted, protectedNote(stack, provider, lineOf(offset)))
			}
			switch {
			case name == "network" && under(stack, "mailsettings", "smtp"):
				rows = append(rows, networkRow(path, f, t, lineOf(offset)))
			case name == "add" && under(stack, "appsettings"):
				k, v := attr(t, "key"), attr(t, "value")
				if k != "" {
					settings = append(settings, kv{key: k, value: v, line: lineOf(offset)})
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if n := len(stack); n > 0 {
				if f == FormatSSRS && n >= 2 && stack[n-2] == "rsemaildpconfiguration" {
					settings = append(settings, kv{key: t.Name.Local, value: strings.TrimSpace(text.String()), line: textLine})
				}
				stack = stack[:n-1]
			}
			text.Reset()
		}
	}
	if f == FormatSSRS {
		if r, ok := ssrsRow(path, settings); ok {
			rows = append(rows, r)
		}
	} else {
		rows = append(rows, group(path, f, settings)...)
	}
	if errors.Is(err, io.EOF) {
		return rows, encrypted, nil
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return rows, encrypted, fmt.Errorf("not well-formed XML at line %d: rows before it are kept", se.Line)
	}
	return rows, encrypted, fmt.Errorf("reading XML: %v", err)
}

// protectedNote says that the section on top of stack is encrypted, and how an administrator
// reads it, filled in. Microsoft Learn, "ASP.NET IIS Registration Tool (Aspnet_regiis.exe)":
// -pdf section webApplicationDirectory decrypts that section of the Web.config in that physical
// directory, so on a copy the site's own file stays as it is; the 64-bit tool is in
// %windir%\Microsoft.NET\Framework64\<version> ("Encrypting and Decrypting Configuration
// Sections"), v4.0.30319 for .NET Framework 4.x, and not on PATH. The RSA key container is this
// server's, so it is run here.
func protectedNote(stack []string, provider string, line int) string {
	section := "appSettings"
	if stack[len(stack)-1] == "smtp" {
		section = "system.net/mailSettings/smtp"
	}
	const folder = `C:\exoprobe-decrypt`
	return fmt.Sprintf("<%s> is encrypted (protected configuration, %s, line %d): whether it sends through Microsoft 365 is not in the file. "+
		"To read it, copy this file to %s\\web.config, then in a Command Prompt opened as administrator on this server run: "+
		"%%windir%%\\Microsoft.NET\\Framework64\\v4.0.30319\\aspnet_regiis.exe -pdf \"%s\" %s (and delete the copy when done)",
		strings.ReplaceAll(section, "/", "><"), providerName(provider), line, folder, section, folder)
}

// under reports whether the element on top of stack has the parents names, nearest last.
func under(stack []string, names ...string) bool {
	n := len(stack) - 1 // the element itself
	if n < len(names) {
		return false
	}
	for i := range names {
		if stack[n-len(names)+i] != names[i] {
			return false
		}
	}
	return true
}

// attr is an attribute's value, by its name in any case.
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// networkRow reads <network host= port= userName= password= defaultCredentials=/>: the port
// is 25 when not given (SmtpClient's default); defaultCredentials="true" signs in as the
// Windows account.
func networkRow(path string, f Format, t xml.StartElement, line int) Row {
	host, port := splitHost(attr(t, "host"))
	r := Row{File: path, Line: line, Format: f, Setting: "<network host>", Host: host, Port: port, Auth: AuthNone}
	if p, err := strconv.Atoi(strings.TrimSpace(attr(t, "port"))); err == nil {
		r.Port = p
	}
	if r.Port == 0 {
		r.Port = 25
	}
	r.User = strings.TrimSpace(attr(t, "userName"))
	if !empty(attr(t, "password")) {
		r.PasswordAt = "line " + strconv.Itoa(line) + " (the password attribute)"
	}
	switch {
	case r.User != "" || r.PasswordAt != "":
		r.Auth = AuthBasic
	case strings.EqualFold(strings.TrimSpace(attr(t, "defaultCredentials")), "true"):
		r.Auth = AuthWindows
	}
	return r
}

// ssrsRow reads the e-mail delivery settings of rsreportserver.config. SendUserName and
// SendPassword are kept encrypted once rsconfig has set them: the user is shown only when it
// reads as an account name.
func ssrsRow(path string, settings []kv) (Row, bool) {
	get := func(k string) (kv, bool) { return find(settings, k) }
	server, ok := get("SMTPServer")
	if !ok || empty(server.value) {
		return Row{}, false
	}
	host, port := splitHost(server.value)
	r := Row{File: path, Line: server.line, Format: FormatSSRS, Setting: "<SMTPServer>", Host: host, Port: port, Auth: AuthNone}
	if p, ok := get("SMTPServerPort"); ok {
		if n, err := strconv.Atoi(p.value); err == nil {
			r.Port = n
		}
	}
	if r.Port == 0 {
		r.Port = 25
	}
	a, _ := get("SMTPAuthenticate")
	switch strings.TrimSpace(a.value) {
	case "1":
		r.Auth = AuthBasic
		if u, ok := get("SendUserName"); ok && !empty(u.value) {
			r.User = u.value
			if !strings.ContainsAny(u.value, `@\`) && len(u.value) > 64 {
				r.User = "(encrypted by rsconfig)"
			}
		}
		if p, ok := get("SendPassword"); ok && !empty(p.value) {
			r.PasswordAt = "line " + strconv.Itoa(p.line) + " (SendPassword)"
		}
	case "2":
		r.Auth = AuthWindows
	}
	return r, true
}

// providerName is a protected-configuration provider's name as the file gives it, kept to the
// characters a name has (it is shown, and the file may hold anything).
func providerName(p string) string {
	p = strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '_' || r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return r
		}
		return -1
	}, p)
	if len(p) > 64 {
		p = p[:64]
	}
	if p == "" {
		return "an unnamed provider"
	}
	return p
}
