package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// The environment variables secrets come from. A secret is never taken from a flag value: flag
// values land in shell history and in process lists that other users can read.
const (
	envClientSecret = "EXOPROBE_CLIENT_SECRET"
	envPassword     = "EXOPROBE_PASSWORD"
	envPFXPassword  = "EXOPROBE_PFX_PASSWORD"
	envAccessToken  = "EXOPROBE_ACCESS_TOKEN"
)

// secretFlags are flag names people reach for out of habit; giving one is refused with a
// message that says where the secret goes instead.
var secretFlags = map[string]string{
	"client-secret": envClientSecret, "secret": envClientSecret,
	"password": envPassword, "pass": envPassword,
	"pfx-password": envPFXPassword, "cert-password": envPFXPassword,
	"access-token": envAccessToken, "token": envAccessToken,
}

// secretInArgv reports the first secret-looking flag in args, and the variable it belongs in.
func secretInArgv(args []string) (flag, envName string, found bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if v, ok := secretFlags[strings.ToLower(name)]; ok {
			return "--" + name, v, true
		}
	}
	return "", "", false
}

// secretArgvMessage says why a secret on the command line is refused and what to do instead.
func secretArgvMessage(flag, envName string) string {
	return fmt.Sprintf("%s is refused: a secret given on the command line stays in the shell's history and "+
		"shows in process lists to other users of this machine. Leave it out and exoprobe asks for it "+
		"without echo; for unattended runs put it in the environment variable %s "+
		"(PowerShell 7: $env:%s = Read-Host -MaskInput; bash: read -rs %s; export %s).",
		flag, envName, envName, envName, envName)
}

// secretFlagError is a secret given as a flag, refused by refuseSecretFlag. It names the flag and
// the environment variable the secret belongs in, never the value.
type secretFlagError struct{ flag, envName string }

func (e *secretFlagError) Error() string {
	return fmt.Sprintf("%s refused: secrets are not taken from the command line; set %s, or leave the flag out and exoprobe asks for it",
		e.flag, e.envName)
}

// errNoSecret is returned when a secret is needed, is not in the environment, and cannot be
// asked for because standard input is not a terminal.
var errNoSecret = errors.New("secret not set")

// readSecret returns the secret in the environment variable envName or, when that is empty and
// standard input is a terminal, asks for it without echo. It never prints the value.
func readSecret(e *env, envName, prompt string) (string, error) {
	if v := e.getenv(envName); v != "" {
		return strings.TrimRight(v, "\r\n"), nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", fmt.Errorf("%w: set %s in the environment (standard input is not a terminal, so exoprobe cannot ask for it)", errNoSecret, envName)
	}
	fmt.Fprintf(e.stderr, "%s (input hidden; or set %s): ", prompt, envName)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", strings.ToLower(prompt), err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
