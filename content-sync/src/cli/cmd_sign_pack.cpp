// `content-sync hub sign-pack FOLDER`: signs a careers leader's local
// content pack with the hub's key, so kiosks accept it from a USB stick
// (local_pack/pack_signature.h). Checks the pack first: a pack with
// rejected items is signed only when nothing in it is a link or special file.
#include <iostream>

#include "bundle/minisign.h"
#include "cli/command.h"
#include "local_pack/local_pack.h"
#include "local_pack/pack_signature.h"

namespace signpost::sync::cli {

int CmdHubSignPack(Context& ctx) {
  const std::string secret =
      ctx.args.secret_path.empty() ? ctx.config.hub.secret_key_file : ctx.args.secret_path;
  if (secret.empty() || ctx.args.positional.size() != 2) {
    *ctx.err << "content-sync: hub sign-pack FOLDER needs the hub's key ([hub] secret_key_file "
                "or --secret-key PATH)\n";
    return kExitUsage;
  }
  const std::string& dir = ctx.args.positional[1];
  auto pack = LoadLocalPack(dir);
  if (!pack.ok()) {
    *ctx.err << "content-sync: " << pack.status().message() << "\n";
    return kExitUsage;
  }
  for (const auto& m : pack->messages)
    *ctx.out << (m.rejected ? "rejected: " : "note: ") << m.ToString() << "\n";
  auto key = bundle::ReadSecretKeyFile(secret);
  if (!key.ok()) {
    *ctx.err << "content-sync: " << key.status().message() << "\n";
    return kExitUsage;
  }
  auto signed_files = SignPack(dir, key.value());
  if (!signed_files.ok()) {
    *ctx.err << "content-sync: " << signed_files.status().message() << "\n";
    return kExitUsage;
  }
  *ctx.out << "signed " << signed_files.value() << " files in " << dir << " with key "
           << key->Public().IdHex() << " (" << pack->items.size() << " items will load; "
           << pack->rejected << " rejected). Sign again after any change.\n";
  return kExitOk;
}

}  // namespace signpost::sync::cli
