package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// Known secrets of the leak test. The client secret and the password are the simulated tenant's
// (the demo passes them); the others are made up here.
const (
	leakPFXPassword = "pfx-S3cret-exoprobe-leaktest-91x"
	leakArgvSecret  = "argv-S3cret-exoprobe-leaktest-Zq7~w"
)

// jwtRE finds anything shaped like a JWT: no token may be shown, whatever its value.
var jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.`)

// runEnv runs exoprobe in-process with the environment vars and returns its exit code, stdout
// and stderr. tweak, when set, runs submit through runSubmitWith with it.
func runEnv(t *testing.T, vars map[string]string, tweak func(*probe.SubmitOptions), args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return vars[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
	if tweak == nil {
		return run(t.Context(), e, args), out.String(), errb.String()
	}
	v, err := runSubmitWith(t.Context(), e, args[1:], tweak)
	if err != nil {
		errb.WriteString(err.Error())
		v = couldNotRun
	}
	return exitCode(v), out.String(), errb.String()
}

// forms are the ways a secret travels: as is, base64 in each alphabet, URL-encoded.
func forms(s string) []string {
	b := []byte(s)
	return []string{s, base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b), url.QueryEscape(s)}
}

// assertNoLeak fails when any secret, in any of its forms, or anything shaped like a token is in
// the output.
func assertNoLeak(t *testing.T, what, output string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for i, f := range forms(s) {
			if len(f) >= 8 && strings.Contains(output, f) {
				t.Errorf("%s holds a secret (form %d, %d characters)", what, i, len(f))
			}
		}
	}
	if m := jwtRE.FindString(output); m != "" {
		t.Errorf("%s holds something shaped like a token (%d characters)", what, len(m))
	}
}

// outputs are the output forms the leak test checks.
var outputs = [][]string{
	{"-o", "json"},
	{"-o", "markdown"},
	{"-o", "text", "--transcript", "--verbose", "--no-color"},
}

// TestSubmitSecretsNeverShown runs every submit scenario, a run with a token from the
// environment, a run with a PFX and its password, and the refusal of secrets given as flags,
// in every output form, and asserts that no secret or token appears in stdout or stderr.
func TestSubmitSecretsNeverShown(t *testing.T) {
	t.Parallel()
	secrets := []string{fixtures.TokenSecret, fixtures.SimPassword, leakPFXPassword, leakArgvSecret}

	for _, sc := range fixtures.Scenarios() {
		if sc.Mode != check.ModeSubmit {
			continue
		}
		for _, o := range outputs {
			t.Run(sc.Name+" "+strings.Join(o, " "), func(t *testing.T) {
				t.Parallel()
				code, stdout, stderr := runEnv(t, nil, nil, append([]string{"demo", "--scenario", sc.Name}, o...)...)
				if code != sc.Want.Exit {
					t.Errorf("exit %d; want %d\n%s", code, sc.Want.Exit, stderr)
				}
				assertNoLeak(t, "stdout", stdout, secrets...)
				assertNoLeak(t, "stderr", stderr, secrets...)
			})
		}
	}

	t.Run("token from the environment", func(t *testing.T) {
		t.Parallel()
		sim := fixtures.NewSim(t, "submit-ok")
		now := time.Now()
		token := sim.Tokens.Issue(fixtures.TokenClaims{
			Audience: fixtures.TokenAudience, Issuer: "https://sts.windows.net/" + sim.Tokens.TenantID + "/",
			TenantID: sim.Tokens.TenantID, AppID: sim.Tokens.ClientID, ObjectID: "sp",
			Roles: []string{fixtures.TokenRoleSendAsApp}, IssuedAt: now, NotBefore: now, Expires: now.Add(time.Hour),
		}, "1")
		ir := "user=" + sim.User + "\x01auth=Bearer " + token + "\x01\x01"
		for _, o := range outputs {
			code, stdout, stderr := runEnv(t, map[string]string{envAccessToken: token}, simHooks(sim),
				append(append([]string{"submit"}, sim.Args()...), o...)...)
			if code != exitPass {
				t.Errorf("%v: exit %d; want 0\n%s%s", o, code, stdout, stderr)
			}
			assertNoLeak(t, "stdout", stdout, token, ir)
			assertNoLeak(t, "stderr", stderr, token, ir)
		}
	})

	t.Run("pfx and its password", func(t *testing.T) {
		t.Parallel()
		sim := fixtures.NewSim(t, "submit-ok")
		pfx := writePFX(t, leakPFXPassword)
		for _, o := range outputs {
			// The simulated app registration has no certificate: Entra ID refuses the assertion
			// (AADSTS700027), which is a path that must not leak either.
			code, stdout, stderr := runEnv(t, map[string]string{envPFXPassword: leakPFXPassword}, simHooks(sim),
				append(append([]string{"submit"}, sim.Args()...), append([]string{"--client-pfx", pfx}, o...)...)...)
			if code != exitFail || !strings.Contains(stdout, "AADSTS700027") {
				t.Errorf("%v: exit %d; want 2 with AADSTS700027\n%s%s", o, code, stdout, stderr)
			}
			assertNoLeak(t, "stdout", stdout, leakPFXPassword)
			assertNoLeak(t, "stderr", stderr, leakPFXPassword)
		}
	})

	for _, flag := range []string{"--client-secret", "--password", "--pfx-password", "--access-token", "--token", "--secret"} {
		for _, form := range []string{"separate", "equals"} {
			for _, o := range outputs {
				t.Run("argv "+flag+" "+form+" "+strings.Join(o, " "), func(t *testing.T) {
					t.Parallel()
					args := []string{"submit", "--from", fixtures.SimFrom, "--to", fixtures.SimExternalTo}
					if form == "equals" {
						args = append(args, flag+"="+leakArgvSecret)
					} else {
						args = append(args, flag, leakArgvSecret)
					}
					code, stdout, stderr := runEnv(t, nil, nil, append(args, o...)...)
					if code != exitCantRun {
						t.Errorf("exit %d; want 3", code)
					}
					if !strings.Contains(stdout, "secret-in-argv") {
						t.Errorf("stdout has no secret-in-argv finding:\n%s", stdout)
					}
					assertNoLeak(t, "stdout", stdout, leakArgvSecret)
					assertNoLeak(t, "stderr", stderr, leakArgvSecret)
				})
			}
		}
	}
}

// simHooks points a submit run at the simulation, as the demo does.
func simHooks(sim *fixtures.Sim) func(*probe.SubmitOptions) {
	return func(o *probe.SubmitOptions) {
		o.LoginURL = sim.Tokens.URL
		o.TokenHTTPClient = sim.Tokens.Client()
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts[len(sim.ControlPorts)-1:]
	}
}

// appLeaf is the RSA app certificate of the submit tests, with its key and issuer.
func appLeaf(t *testing.T) *fixtures.Leaf {
	t.Helper()
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := pki.Issuing.Issue(fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 611})
	if err != nil {
		t.Fatal(err)
	}
	return leaf
}

// appPFX is the app certificate with its key and chain as a PFX protected by password.
func appPFX(t *testing.T, leaf *fixtures.Leaf, password string) []byte {
	t.Helper()
	data, err := pkcs12.Modern.Encode(leaf.Key, leaf.Cert, leaf.Chain, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writePFX writes an RSA app certificate with its key as a PFX protected by password.
func writePFX(t *testing.T, password string) string {
	t.Helper()
	data := appPFX(t, appLeaf(t), password)
	path := filepath.Join(t.TempDir(), "app.pfx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSubmitSecretInArgv checks the refusal itself: one check "input", failing with the code
// secret-in-argv, the message that says where the secret goes, and exit code 3.
func TestSubmitSecretInArgv(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runEnv(t, nil, nil, "submit", "--from", fixtures.SimFrom, "--to", fixtures.SimExternalTo,
		"--client-secret", leakArgvSecret, "-o", "json")
	if code != exitCantRun {
		t.Errorf("exit %d; want 3", code)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(rep.Checks) != 1 || rep.Checks[0].ID != "input" || rep.Checks[0].Status != "fail" ||
		len(rep.Checks[0].Findings) != 1 || rep.Checks[0].Findings[0].Code != "secret-in-argv" ||
		rep.Checks[0].Findings[0].Hint == nil {
		t.Fatalf("report %+v; want one failing input check with secret-in-argv and its hint", rep)
	}
	if !strings.Contains(stdout, envClientSecret) || !strings.Contains(stdout, "history") {
		t.Errorf("the message does not say why and where the secret goes instead:\n%s", stdout)
	}
}

func TestSubmitUsageErrors(t *testing.T) {
	t.Parallel()
	base := []string{"submit", "--from", "app@contoso.com", "--to", "someone@example.org"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no from", nil, []string{"submit", "--to", "someone@example.org"}, "--from is required"},
		{"bad auth", nil, append(base, "--auth", "ntlm"), "use oauth, basic or none"},
		{"none with app flags", nil, append(base, "--auth", "none", "--client-id", fixtures.TokenClientID), "--auth none does not sign in"},
		{"bad cloud", nil, append(base, "--cloud", "mars"), "--cloud \"mars\""},
		{"no tenant", nil, base, "--tenant is required"},
		{"no client id", nil, append(base, "--tenant", "contoso.com"), "--client-id is required"},
		{"no secret and no terminal", nil, append(base, "--tenant", "contoso.com", "--client-id", fixtures.TokenClientID), envClientSecret},
		{"basic without password", nil, append(base, "--auth", "basic"), envPassword},
		{"basic with app flags", nil, append(base, "--auth", "basic", "--tenant", "contoso.com"), "leave out --tenant"},
		{"pfx and pem", nil, append(base, "--client-pfx", "a.pfx", "--client-cert", "c.pem"), "not both"},
		{"key without cert", nil, append(base, "--client-key", "k.pem"), "--client-key needs --client-cert"},
		{"missing pfx", map[string]string{}, append(base, "--tenant", "contoso.com", "--client-id", fixtures.TokenClientID, "--client-pfx", "/nonexistent/app.pfx"), "app.pfx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runEnv(t, tt.env, nil, tt.args...)
			if code != exitCantRun {
				t.Errorf("exit %d; want 3", code)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q; want %q", stderr, tt.want)
			}
		})
	}
}

// TestExplainSubmitReplies decodes, through the command line, the AADSTS and 5.7.x texts that
// submit meets, as applications log them (the knowledge base's own tests hold many more).
func TestExplainSubmitReplies(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, wantID string }{
		{"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com]", "smtp-auth-disabled-tenant"},
		{"Exception: MailKit.Security.AuthenticationException: 535: 5.7.3 Authentication unsuccessful [VI1PR0902CA0036.eurprd09.prod.outlook.com 2024-03-20T10:27:56.998Z 08DC48BEE95C08E5]", "auth-failed"},
		{"C: AUTH XOAUTH2 ********\nS: 535 5.7.3 Authentication unsuccessful", "auth-xoauth2-rejected"},
		{"550 5.7.30 Basic authentication is not supported for Client Submission.", "basic-auth-retired"},
		{"Checking for SMTP success or error status in the message: 421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [SA9P221CA0019.NAMP221.PROD.OUTLOOK.COM]", "legacy-tls"},
		{"554 5.2.252 SendAsDenied; delightgx46@outlook.com not allowed to send as security@sfb.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", "sendas-denied"},
		{"Expected response code 250 but got code \"550\", with message \"550 5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com]", "sendas-denied"},
		{"530 5.7.57 Client not authenticated to send mail", "client-not-authenticated"},
		{"550 5.5.105 External sending is not supported for High Volume Email accounts", "hve-external-recipient"},
		{`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '0b7c4f0e-2d1a-4e5b-9c8d-7a6b5c4d3e2f'.\r\nTrace ID: 1","error_codes":[7000215]}`, "aadsts-invalid-secret"},
		{"AADSTS7000222: The provided client secret keys for app '0b7c4f0e-2d1a-4e5b-9c8d-7a6b5c4d3e2f' are expired.", "aadsts-expired-secret"},
		{"AADSTS700016: Application with identifier '0b7c4f0e' was not found in the directory 'Contoso'.", "aadsts-app-not-found"},
		{"AADSTS90002: Tenant 'contoso.example' not found.", "aadsts-tenant-not-found"},
		{"AADSTS500011: The resource principal named https://outlook.office365.com was not found in the tenant named Contoso.", "aadsts-resource-not-found"},
		{"AADSTS65001: The user or administrator has not consented to use the application with ID '0b7c4f0e'.", "aadsts-consent-missing"},
		{"AADSTS53003: Access has been blocked by Conditional Access policies.", "aadsts-conditional-access"},
		{"AADSTS700027: Client assertion contains an invalid signature.", "aadsts-bad-assertion"},
		{"AADSTS700024: Client assertion is not within its valid time range.", "aadsts-clock-skew"},
		{"AADSTS7000112: Application '0b7c4f0e'(exoprobe test app) is disabled.", "aadsts-app-disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.wantID, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runEnv(t, nil, nil, "explain", "-o", "json", tt.text)
			if code != exitPass {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got struct {
				Matches []struct {
					ID string `json:"id"`
				} `json:"matches"`
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if len(got.Matches) == 0 || got.Matches[0].ID != tt.wantID {
				t.Errorf("best match %+v; want %s", got.Matches, tt.wantID)
			}
		})
	}
}

// FuzzWithoutFlag checks that the value of a secret flag never survives withoutFlag, whatever
// the other arguments are.
func FuzzWithoutFlag(f *testing.F) {
	f.Add("--from a@b.example --to c@d.example", uint8(0), "s3cr3t-value", true)
	f.Add("-o json", uint8(3), "p@ss word", false)
	f.Add("--token x --password", uint8(5), "eyJhbGciOi", true)
	f.Add("--pAss --token", uint8(7), "0000", false) // a secret flag given without its value
	names := make([]string, 0, len(secretFlags))
	for n := range secretFlags {
		names = append(names, n)
	}
	slices.Sort(names)
	f.Fuzz(func(t *testing.T, other string, which uint8, value string, equals bool) {
		flag := "--" + names[int(which)%len(names)]
		args := strings.Fields(other)
		if len(value) < 4 || slices.Contains(args, "--") || strings.Contains(other, value) {
			return
		}
		if equals {
			args = append(args, flag+"="+value)
		} else {
			args = append(args, flag, value)
		}
		clean := args
		for {
			found, _, ok := secretInArgv(clean)
			if !ok {
				break
			}
			clean = withoutFlag(clean, found)
		}
		for _, a := range clean {
			if strings.Contains(a, value) {
				t.Fatalf("withoutFlag(%q, %q) kept %q", args, flag, a)
			}
		}
	})
}
