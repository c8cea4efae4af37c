// OpenSSH public key lines, as Agent37 reads them. The parser is the provider's (its `check`
// reads keys offline with it, and provider/ imports nothing from the emulator); the emulator
// uses the same one, so the two agree on every key and every refusal.
export * from "../provider/core/ssh-public-key";
