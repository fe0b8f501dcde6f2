// content-sync: the daemon and CLI that keep the Signpost catalogue fresh.
// All logic lives in cli/ (one file per command) and the signpost_sync
// library; see --help.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "net/http_client.h"
#include "signpost/printable.h"

int main(int argc, char** argv) {
  if (auto st = signpost::sync::CurlGlobalInit(); !st.ok()) {
    std::cerr << "content-sync: " << st.message() << "\n";
    return 3;
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  // Every command's output passes through Printable: a feed's escape codes
  // are shown, never obeyed by the technician's terminal (issue 16).
  signpost::PrintableStreamBuf out_buf(std::cout.rdbuf()), err_buf(std::cerr.rdbuf());
  std::ostream out(&out_buf), err(&err_buf);
  const int code = signpost::sync::RunCli(args, out, err);
  out.flush();
  err.flush();
  return code;
}
