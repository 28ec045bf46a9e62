import { TansuoError } from "../../errors/tansuo-error.ts";

/** An image given with a task (a file, a data URL) that cannot be sent: not an image, too big, or the model has no vision. */
export class ImageInputError extends TansuoError {
  override readonly name = "ImageInputError";
  readonly kind = "user";
}
