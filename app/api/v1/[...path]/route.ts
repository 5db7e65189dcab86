import { AppError } from "@/lib/errors";

// Unknown API paths answer in the API's error shape instead of Next's HTML 404 page.
const notFound = async () => AppError.notFound("No such API endpoint.").toResponse();

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
