// content-sync: the daemon and CLI that keep the Signpost catalogue fresh.
// All logic lives in cli/ (one file per command) and the signpost_sync
// library; see --help.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "net/http_client.h"

int main(int argc, char** argv) {
  if (auto st = signpost::sync::CurlGlobalInit(); !st.ok()) {
    std::cerr << "content-sync: " << st.message() << "\n";
    return 3;
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  return signpost::sync::RunCli(args, std::cout, std::cerr);
}
