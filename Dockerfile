FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY muster muster
COPY schema schema
COPY resolvers resolvers
COPY matching matching
COPY db db
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["muster", "serve", "--host", "0.0.0.0", "--port", "8000"]
